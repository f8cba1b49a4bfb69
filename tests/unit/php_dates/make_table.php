<?php
/*
 * Writes table.json: what PHP's date() prints for stored OpenCRM dates around the 2026
 * clock changes.  tests/unit/test_php_dates.py checks emulator.php_format.reformat
 * against it; PHP is needed only to regenerate the table, not to run the test.
 *
 * Regenerate (Debian: `apt-get install php-cli`), from the repository root:
 *
 *     php tests/unit/php_dates/make_table.php > tests/unit/php_dates/table.json
 *
 * What is modelled.  OpenCRM is PHP reading MySQL: a stored value is a naive wall-clock
 * string ("2026-10-25 01:30:00" or "2026-10-25") in the CRM's zone, which PHP parses in
 * its default zone and formats, i.e.
 *
 *     date_default_timezone_set($zone);
 *     date($letter, strtotime($value));
 *
 * and that is the reading this table takes (the emulator calls reformat(value, fmt, tz)
 * with the same three things).  The other two ways PHP code commonly reads such a value,
 * new DateTime($value) and DateTime::createFromFormat('!Y-m-d H:i:s', $value) (or
 * '!Y-m-d'; without the '!' the missing fields would be taken from the current time),
 * are computed too and the script stops if any letter differs from the date() reading,
 * so the table holds for all three.  All three go through timelib's conversion of a
 * local time to a timestamp, which is what decides the repeated and the skipped hour.
 *
 * The zones have different rules: Europe/London (changes at 01:00 UTC, east of UTC after
 * the change), America/New_York (changes at 02:00 local, west of UTC), Australia/Sydney
 * (southern hemisphere: the clocks go back in April) and Atlantic/Azores (changes between
 * +00:00 and -01:00 at midnight local).  For each zone: times around both 2026 changes,
 * an ordinary winter and summer time, and date-only values for those days.
 */

declare(strict_types=1);

const LETTERS = 'dDjlNSwzWFmMntLoXxYyaABgGhHisuveIOPpTZcrU';

const TIMES = [
    '00:00:00', '00:30:00', '00:59:59', '01:00:00', '01:30:00', '01:59:59',
    '02:00:00', '02:30:00', '02:59:59', '03:00:00', '03:30:00',
];

/* zone => [spring or clocks-forward day, autumn or clocks-back day] in 2026 */
const CHANGES = [
    'Europe/London' => ['2026-03-29', '2026-10-25'],
    'America/New_York' => ['2026-03-08', '2026-11-01'],
    'Australia/Sydney' => ['2026-10-04', '2026-04-05'],
    'Atlantic/Azores' => ['2026-03-29', '2026-10-25'],
];

const WINTER = '2026-01-15';
const SUMMER = '2026-07-15';

/** @return list<string> */
function stored_values(array $days): array
{
    $values = [];
    foreach ($days as $day) {
        foreach (TIMES as $time) {
            $values[] = "$day $time";
        }
    }
    foreach ([WINTER, SUMMER] as $day) {
        $values[] = "$day 12:00:00";
    }
    foreach ([...$days, WINTER, SUMMER] as $day) {
        $values[] = $day;
    }
    return $values;
}

/** @return array<string, string> letter => output */
function format_all(callable $format): array
{
    $out = [];
    foreach (str_split(LETTERS) as $letter) {
        $out[$letter] = $format($letter);
    }
    return $out;
}

/** @return array<string, string> */
function php_date(string $value): array
{
    $timestamp = strtotime($value);
    if ($timestamp === false) {
        throw new RuntimeException("strtotime cannot read $value");
    }
    return format_all(fn (string $letter): string => date($letter, $timestamp));
}

function check_other_readings(string $zone, string $value, array $expected): void
{
    $pattern = strlen($value) === 10 ? '!Y-m-d' : '!Y-m-d H:i:s';
    $readings = [
        'new DateTime' => new DateTime($value),
        'createFromFormat' => DateTime::createFromFormat($pattern, $value),
    ];
    foreach ($readings as $name => $moment) {
        $got = format_all(fn (string $letter): string => $moment->format($letter));
        if ($got !== $expected) {
            $diff = array_keys(array_diff_assoc($got, $expected));
            fwrite(STDERR, "$name differs from date() for $zone $value: " . implode(' ', $diff) . "\n");
            exit(1);
        }
    }
}

/* X and x arrived in PHP 8.2. */
if (PHP_VERSION_ID < 80200) {
    fwrite(STDERR, "PHP 8.2 or later is needed for the X and x letters\n");
    exit(1);
}

$tzdata = @file_get_contents('/usr/share/zoneinfo/tzdata.zi', false, null, 0, 64);
$tzdata_version = $tzdata !== false && preg_match('/^# version (\S+)/', $tzdata, $m) ? $m[1] : null;

$cases = [];
foreach (CHANGES as $zone => $days) {
    date_default_timezone_set($zone);
    foreach (stored_values($days) as $value) {
        $expected = php_date($value);
        check_other_readings($zone, $value, $expected);
        $cases[$zone][$value] = $expected;
    }
}

$flags = JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR;
$meta = [
    'generated_by' => 'tests/unit/php_dates/make_table.php',
    'php_version' => PHP_VERSION,
    'timezone_db' => timezone_version_get(),
    'system_tzdata' => $tzdata_version,
    'reading' => 'date_default_timezone_set($zone); date($letter, strtotime($value))',
    'letters' => LETTERS,
];
/* One line per stored value, so that a regenerated table diffs readably. */
echo "{\n";
foreach ($meta as $key => $item) {
    echo '  ', json_encode($key), ': ', json_encode($item, $flags), ",\n";
}
echo "  \"cases\": {\n";
$zones = array_keys($cases);
foreach ($zones as $z => $zone) {
    echo '    ', json_encode($zone, $flags), ": {\n";
    $values = array_keys($cases[$zone]);
    foreach ($values as $v => $value) {
        $comma = $v + 1 < count($values) ? ',' : '';
        echo '      ', json_encode($value), ': ', json_encode($cases[$zone][$value], $flags), "$comma\n";
    }
    echo '    }', $z + 1 < count($zones) ? ',' : '', "\n";
}
echo "  }\n}\n";
