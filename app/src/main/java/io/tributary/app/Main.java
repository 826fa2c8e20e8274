package io.tributary.app;

import io.tributary.core.ConfigException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tributary run | query | replay | bench | lake}. */
@Command(name = "tributary", mixinStandardHelpOptions = true, version = "tributary 0.1.0",
    description = "Self-hostable event data platform: collect, queue, archive and load events.",
    subcommands = {Main.Run.class, Main.Query.class, Main.Replay.class, Main.Bench.class,
        LakeCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, with errors the user can fix printed as one line and exit code 2. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof ConfigException || e instanceof QueryClient.QueryFailed) {
        cmd.getErr().println("error: " + e.getMessage());
        cmd.getErr().flush();
        return 2;
      }
      throw e;
    });
    return cli;
  }

  /** Options shared by the commands that read the configuration. */
  static class ConfigOptions {
    @Option(names = "--config", description = "YAML config file")
    Path config;

    @Option(names = "--data-dir", description = "data directory (default ./data)")
    String dataDir;

    @Option(names = "--bind", description = "HTTP address (default 127.0.0.1)")
    String bind;

    @Option(names = "--port", description = "HTTP port (default 8080)")
    Integer port;

    TributaryConfig load() {
      Map<String, String> overrides = new HashMap<>();
      overrides.put("data_dir", dataDir);
      overrides.put("http.bind", bind);
      overrides.put("http.port", port == null ? null : String.valueOf(port));
      return ConfigLoader.load(config, System.getenv(), overrides);
    }
  }

  /** Where the running server is, for the commands that talk to it. */
  static class ServerOptions {
    @Option(names = "--url", description = "server URL (default from the config: http://bind:port)")
    String url;

    @Option(names = "--token", description = "admin token (default from the config or the data dir)")
    String token;

    QueryClient client(TributaryConfig config) {
      return new QueryClient(config, url, token);
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true, description = "Start Tributary (broker, collector, enrich, archivers, loaders).")
  static final class Run implements Callable<Integer> {
    @CommandLine.Mixin ConfigOptions options = new ConfigOptions();

    @Option(names = "--roles", description = "run only these parts, comma-separated: collector, "
        + "enricher, loader, archiver (default: all, with an in-process broker unless "
        + "kafka.bootstrap is set; a subset needs kafka.bootstrap)")
    String roles;

    @Override
    public Integer call() {
      TributaryConfig config = options.load();
      PrintStream out = System.out;
      LeftoverNativeLibraries.sweepInBackground();
      Tributary tributary = Tributary.start(config, Role.parse(roles), out);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        out.println("Stopping Tributary...");
        tributary.close();
        stopped.countDown();
      }, "tributary-shutdown"));
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }
  }

  @Command(name = "query", mixinStandardHelpOptions = true, description = "Run a read-only SQL query against the warehouse.")
  static final class Query implements Callable<Integer> {
    @CommandLine.Mixin ConfigOptions options = new ConfigOptions();

    @Parameters(index = "0", description = "SQL, e.g. \"select event_name, count(*) from events group by 1\"")
    String sql;

    @CommandLine.Mixin ServerOptions server = new ServerOptions();

    @Option(names = "--format", description = "table or json (default table)")
    String format = "table";

    @Override
    public Integer call() {
      TributaryConfig config = options.load();
      System.out.println(server.client(config).run(sql, format.equals("json")));
      return 0;
    }
  }

  @Command(name = "replay", mixinStandardHelpOptions = true, description = "Re-inject stored bad"
      + " rows after fixing schemas or config (replay bad), or rebuild declared tables from the raw"
      + " lake after changing their mapping (replay lake --tables NAME).")
  static final class Replay implements Callable<Integer> {
    @CommandLine.Mixin ConfigOptions options = new ConfigOptions();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "what to replay: bad or lake")
    String what;

    @Option(names = "--tables", split = ",", description = "replay lake: the declared tables to"
        + " rebuild, comma-separated")
    java.util.List<String> tables;

    @Option(names = "--since", description = "only bad rows received at or after this instant (ISO-8601)")
    String since;

    @Option(names = "--until", description = "only bad rows received before this instant (ISO-8601)")
    String until;

    @Option(names = "--type", description = "only this bad row type, e.g. schema_violation")
    String type;

    @CommandLine.Mixin ServerOptions server = new ServerOptions();

    @Override
    public Integer call() {
      if ("lake".equals(what)) {
        if (tables == null || tables.isEmpty()) {
          throw new QueryClient.QueryFailed("replay lake needs --tables NAME[,NAME]: the declared"
              + " tables (warehouse.tables) to rebuild");
        }
        TributaryConfig config = options.load();
        return new LakeReplayClient(server.client(config), spec.commandLine().getOut())
            .run(tables);
      }
      if (!"bad".equals(what)) {
        throw new QueryClient.QueryFailed("'replay " + what + "' is unknown: use 'replay bad' or"
            + " 'replay lake --tables NAME'");
      }
      TributaryConfig config = options.load();
      return new ReplayClient(server.client(config), System.out).run(since, until, type);
    }
  }

  @Command(name = "bench", mixinStandardHelpOptions = true, description = "Send load to a running Tributary; report acknowledged "
      + "events/s, latency, errors and how soon events are queryable.")
  static final class Bench implements Callable<Integer> {
    @CommandLine.Mixin ConfigOptions options = new ConfigOptions();
    @CommandLine.Mixin BenchOptions bench = new BenchOptions();

    @Override
    public Integer call() {
      return bench.run(options.load(), System.out);
    }
  }
}
