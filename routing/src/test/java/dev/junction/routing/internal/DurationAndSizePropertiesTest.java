package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * Property tests of the configuration's duration and size values (issue 24): every written form means what its
 * unit says, whatever the case and spacing, printing and parsing agree, and a size too large for a long is refused
 * rather than wrapped around.
 */
class DurationAndSizePropertiesTest {

    @Provide
    Arbitrary<String> spacing() {
        return Arbitraries.of("", " ", "  ", "\t");
    }

    @Provide
    Arbitrary<String> durationUnits() {
        return Arbitraries.of("ms", "s", "m", "h", "d");
    }

    @Provide
    Arbitrary<String> sizeUnits() {
        return Arbitraries.of("", "b", "kb", "mb", "gb", "tb");
    }

    @Property
    void aWholeAmountWithAUnitIsThatManyOfTheUnit(@ForAll @LongRange(min = 0, max = 1_000_000) long amount,
            @ForAll("durationUnits") String unit, @ForAll("spacing") String before, @ForAll("spacing") String between,
            @ForAll boolean upper) {
        String text = before + amount + between + (upper ? unit.toUpperCase(Locale.ROOT) : unit) + before;
        Duration expected = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        assertThat(Durations.parse(text)).as(text).isEqualTo(expected);
    }

    @Property
    void aBareNumberIsMilliseconds(@ForAll @LongRange(min = 0, max = 1_000_000_000) long millis) {
        assertThat(Durations.parse(Long.toString(millis))).isEqualTo(Duration.ofMillis(millis));
    }

    @Property
    void whatFormatPrintsParsesBackToTheSameDuration(@ForAll @LongRange(min = 0, max = 10_000_000_000L) long millis) {
        Duration d = Duration.ofMillis(millis);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
        assertThat(Durations.parse(d.toString())).as("ISO-8601 %s", d).isEqualTo(d);
    }

    @Property
    void aSizeIsItsAmountTimesItsBinaryUnit(@ForAll @LongRange(min = 0, max = 1_000_000) long amount,
            @ForAll("sizeUnits") String unit, @ForAll("spacing") String between, @ForAll boolean upper) {
        String text = amount + (unit.isEmpty() ? "" : between) + (upper ? unit.toUpperCase(Locale.ROOT) : unit);
        long factor = switch (unit) {
            case "kb" -> 1L << 10;
            case "mb" -> 1L << 20;
            case "gb" -> 1L << 30;
            case "tb" -> 1L << 40;
            default -> 1;
        };
        assertThat(YamlValues.parseBytes(text)).as(text).isEqualTo(amount * factor);
    }

    @Property
    void aSizeTooLargeForALongIsRefusedNotWrappedAround(@ForAll @LongRange(min = 1L << 23, max = Long.MAX_VALUE)
            long amount) {
        // 2^23 TB is 2^63 bytes: one more than a long holds.
        assertThatThrownBy(() -> YamlValues.parseBytes(amount + "TB")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a size");
    }
}
