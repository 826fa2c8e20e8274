package io.tributary.warehouse;

/**
 * Every {@link EventLoaderTest} again with duplicates checked in DuckDB alone: the loader's path
 * when its {@link EventIdIndex} is turned off or fails.
 */
class EventLoaderWithoutIndexTest extends EventLoaderTest {
  @Override
  boolean indexed() {
    return false;
  }
}
