package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.ConfigException;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAnonymisationTest {
  @ParameterizedTest(name = "{0} with {1} → {2}")
  @CsvSource(delimiter = '|', textBlock = """
      81.2.69.142                               | 1 | 81.2.69.0
      81.2.69.142                               | 2 | 81.2.0.0
      81.2.69.142                               | 3 | 81.0.0.0
      81.2.69.142                               | 4 | 0.0.0.0
      2001:db8:85a3:8d3:1319:8a2e:370:7348      | 1 | 2001:db8:85a3:8d3:1319:8a2e:370:0
      2001:db8:85a3:8d3:1319:8a2e:370:7348      | 2 | 2001:db8:85a3:8d3:1319:8a2e::
      2001:db8:85a3:8d3:1319:8a2e:370:7348      | 4 | 2001:db8:85a3:8d3::
      2001:DB8:0:0:1:0:0:1                      | 1 | 2001:db8:0:0:1::
      [2001:db8::1]                             | 1 | 2001:db8::
      fe80::1%eth0                              | 1 | fe80::
      ::ffff:81.2.69.142                        | 1 | 81.2.69.0
      ::1                                       | 1 | ::
      '81.2.69.142, 10.1.2.3'                   | 1 | '81.2.69.0, 10.1.2.0'
      """)
  void zeroesTheEndOfTheAddress(String ip, int octets, String expected) {
    assertThat(anonymise(ip, octets)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"unknown", "example.com", "81.2.69", "81.2.69.256", "1.2.3.4.5",
      "81.2.69.142:8080", "", "deadbeef", "2001:db8::zz", "1..2.3"})
  void leavesNonIpStringsUntouched(String value) {
    assertThat(anonymise(value, 2)).isEqualTo(value);
  }

  @Test
  void absentIpIsSkipped() {
    EnrichedEvent event = new EnrichedEvent();
    new IpAnonymisation(1).enrich(event);
    assertThat(event.values()).isEmpty();
  }

  @Test
  void octetsMustBeOneToFour() {
    assertThatThrownBy(() -> new IpAnonymisation(0)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("1..4");
    assertThatThrownBy(() -> new IpAnonymisation(5)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("got 5");
  }

  @Test
  void formatsIpv6TheRfc5952Way() {
    byte[] bytes = new byte[16];
    assertThat(IpAnonymisation.formatIpv6(bytes)).isEqualTo("::");
    bytes[1] = 1;
    bytes[15] = 1;
    assertThat(IpAnonymisation.formatIpv6(bytes)).isEqualTo("1::1");
    bytes[5] = 2;
    // 1:0:2:0:0:0:0:1 → the longest zero run is compressed, a single zero group is not
    assertThat(IpAnonymisation.formatIpv6(bytes)).isEqualTo("1:0:2::1");
  }

  private static String anonymise(String ip, int octets) {
    EnrichedEvent event = new EnrichedEvent().set(EventField.IP, ip);
    new IpAnonymisation(octets).enrich(event);
    return event.string(EventField.IP);
  }
}
