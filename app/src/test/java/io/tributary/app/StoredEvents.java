package io.tributary.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** What a stopped Tributary's data dir holds, read straight from its files. */
record StoredEvents(long eventRows, Set<String> eventIds, Set<String> lakeMessageIds,
    long lakeRawRecords, long lakeDuplicateRawIds) {

  static StoredEvents read(Path dataDir) throws Exception {
    Set<String> ids = new HashSet<>();
    long rows = 0;
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    try (Connection c = DriverManager.getConnection(
            "jdbc:duckdb:" + dataDir.resolve("warehouse.duckdb"), readOnly);
        ResultSet rs = c.createStatement().executeQuery("select event_id from events")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
        rows++;
      }
    }
    StoredEvents lake = readLake(dataDir.resolve("lake/raw"));
    return new StoredEvents(rows, ids, lake.lakeMessageIds, lake.lakeRawRecords,
        lake.lakeDuplicateRawIds);
  }

  /** The raw lake alone (a directory of {@code .ndjson.gz} files); no warehouse rows. */
  static StoredEvents readLake(Path lake) throws Exception {
    Set<String> messageIds = new HashSet<>();
    Set<String> rawIds = new HashSet<>();
    long duplicates = 0;
    if (Files.isDirectory(lake)) {
      try (Stream<Path> files = Files.walk(lake)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".ndjson.gz")).toList()) {
          try (BufferedReader in = new BufferedReader(new InputStreamReader(
              new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
              JsonNode record = TestTributary.JSON.readTree(line);
              if (!rawIds.add(record.get("id").asText())) {
                duplicates++;
              }
              for (JsonNode m : record.get("body").get("batch")) {
                messageIds.add(m.get("messageId").asText());
              }
            }
          }
        }
      }
    }
    return new StoredEvents(0, Set.of(), messageIds, rawIds.size(), duplicates);
  }

  /** Acknowledged ids missing from {@code events}. */
  Set<String> notLoaded(Set<String> acked) {
    Set<String> missing = new HashSet<>(acked);
    missing.removeAll(eventIds);
    return missing;
  }

  /** Acknowledged ids missing from the raw lake. */
  Set<String> notArchived(Set<String> acked) {
    Set<String> missing = new HashSet<>(acked);
    missing.removeAll(lakeMessageIds);
    return missing;
  }
}
