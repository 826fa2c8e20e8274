package io.tributary.app;

import io.tributary.core.ConfigException;
import io.tributary.lake.iceberg.EnrichedTable;
import io.tributary.lake.iceberg.LakeFiles;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary lake files}: the enriched lake's Iceberg tables, read from the catalog directly. */
@Command(name = "lake", mixinStandardHelpOptions = true,
    description = "The enriched lake (Iceberg tables): list their data files.",
    subcommands = {LakeCommand.Files.class})
final class LakeCommand {

  @Command(name = "files", mixinStandardHelpOptions = true, description = "List the live data files "
      + "of a lake table (its current Iceberg snapshot), e.g. for DuckDB's read_parquet([...]). "
      + "Reads the catalog directly, so it works while Tributary runs.")
  static final class Files implements Callable<Integer> {
    @CommandLine.Mixin Main.ConfigOptions options = new Main.ConfigOptions();

    @Option(names = "--table", description = "table in the lake namespace (default enriched)")
    String table = EnrichedTable.ID.name();

    @Option(names = "--rows", description = "print each file's row count after a tab")
    boolean rows;

    @Option(names = "--duckdb", description = "print a DuckDB read_parquet([...]) expression instead")
    boolean duckdb;

    @Override
    public Integer call() {
      TributaryConfig config = options.load();
      print(config, TableIdentifier.of(EnrichedTable.ID.namespace(), table), rows, duckdb, System.out);
      return 0;
    }
  }

  static void print(TributaryConfig config, TableIdentifier id, boolean rows, boolean duckdb,
      PrintStream out) {
    Catalog catalog = IcebergWiring.catalog(config);
    try {
      Table table;
      try {
        table = catalog.loadTable(id);
      } catch (NoSuchTableException e) {
        throw new ConfigException("no lake table " + id + " (the archiver creates lake.enriched when"
            + " it first starts with lake.iceberg.enabled)");
      }
      List<LakeFiles.DataFileInfo> files = LakeFiles.list(table);
      if (duckdb) {
        out.println("read_parquet([" + files.stream().map(f -> "'" + f.path().replace("'", "''") + "'")
            .collect(Collectors.joining(", ")) + "], hive_partitioning = false)");
        return;
      }
      for (LakeFiles.DataFileInfo f : files) {
        out.println(rows ? f.path() + "\t" + f.rows() : f.path());
      }
    } finally {
      if (catalog instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          // read-only use; nothing to lose
        }
      }
    }
  }
}
