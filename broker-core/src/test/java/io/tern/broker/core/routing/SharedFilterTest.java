package io.tern.broker.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SharedFilterTest {

  @ParameterizedTest
  @CsvSource({
      "$share/g/t,         g,       t",
      "$share/g/a/b/#,     g,       a/b/#",
      "$share/workers/+,   workers, +",
      "$share/g/#,         g,       #",
      "$share/g//,         g,       /",
      "$share/g/$SYS/x,    g,       $SYS/x",
      "$share/ü-1/t,       ü-1,     t",
  })
  void splitsAValidSharedFilterIntoShareNameAndFilter_MQTT_4_8_2_1(String filter, String name, String inner) {
    SharedFilter shared = SharedFilter.parse(filter);

    assertThat(shared).isEqualTo(new SharedFilter(name, inner));
    assertThat(shared.toString()).isEqualTo(filter);
    assertThat(SharedFilter.isShared(filter)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"$share/", "$share//t", "$share/g", "$share/g/", "$share/+/t", "$share/#", "$share/a+/t"})
  void refusesAMissingOrWildcardShareNameOrAMissingFilter_MQTT_4_8_2_2(String filter) {
    assertThat(SharedFilter.parse(filter)).isNull();
    assertThat(SharedFilter.isShared(filter)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"$share", "$SHARE/g/t", "share/g/t", "a/$share/g/t", "$shared/g/t", "#"})
  void filtersWithoutTheExactPrefixAreNotShared(String filter) {
    assertThat(SharedFilter.isShared(filter)).isFalse();
    assertThat(SharedFilter.parse(filter)).isNull();
  }
}
