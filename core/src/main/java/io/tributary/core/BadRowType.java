package io.tributary.core;

/** Why an event (or a whole request) could not become a good event. */
public enum BadRowType {
  /** The request breaks the tracker protocol (bad base64, non-JSON ue_pr, unknown e, ...). */
  TRACKER_PROTOCOL_VIOLATION,
  /** The request breaks the collector's size limits. */
  SIZE_VIOLATION,
  /** Data does not validate against its JSON Schema (or the tracking plan). */
  SCHEMA_VIOLATION,
  /** A schema could not be found or read in any registry. */
  RESOLUTION_ERROR,
  /** An enrichment failed. */
  ENRICHMENT_FAILURE,
  /** A webhook or other adapter could not turn the request into events. */
  ADAPTER_FAILURE;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
