package io.tributary.collector;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/** Answers an over-limit body with a JSON 413 naming the limit, then closes the connection. */
final class LimitedAggregator extends HttpObjectAggregator {
  private final int limit;
  private final RequestHandler handler;

  LimitedAggregator(int limit, RequestHandler handler) {
    super(limit, true); // close after a refused Expect: the answer says Connection: close
    this.limit = limit;
    this.handler = handler;
  }

  @Override
  protected Object newContinueResponse(HttpMessage start, int maxContentLength,
      ChannelPipeline pipeline) {
    Object response = super.newContinueResponse(start, maxContentLength, pipeline);
    if (response instanceof FullHttpResponse r
        && r.status().equals(HttpResponseStatus.EXPECTATION_FAILED)) {
      r.release();
      FullHttpResponse json = Responses.json(HttpResponseStatus.EXPECTATION_FAILED,
          Responses.error("unsupported Expect header: only 100-continue is understood"));
      json.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      return json;
    }
    if (response instanceof FullHttpResponse r
        && r.status().equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)) {
      r.release();
      if (start instanceof HttpRequest req
          && handler.snowplowRoute(req.uri()) != null) {
        return null; // no 413: handleOversizedMessage keeps it as a size violation and answers 200
      }
      FullHttpResponse json = Responses.json(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
          Responses.error("request body is over the limit of " + limit + " bytes"));
      json.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      return json;
    }
    return response;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    if (oversized instanceof HttpRequest req) {
      String route = handler.snowplowRoute(req.uri());
      if (route != null) {
        // Trackers get 200 and the request becomes a size-violation bad row.
        handler.snowplowOversize(ctx, req, route);
        return;
      }
    }
    Responses.sendAndClose(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
        Responses.error("request body is over the limit of " + limit + " bytes"));
  }
}
