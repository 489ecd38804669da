// Date → ISO 8601 text exactly as Date.prototype.toISOString writes it, for every record's timestamps.
// toISOString costs about a microsecond a call in V8; a batch of events shares one day, and often one second, so
// the date and time up to the second are remembered and only the milliseconds are added per call.

const secondsPerDay = 86_400;
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: outside, toISOString writes a six-digit signed year. */
const firstFastMs = -62_167_219_200_000;
const lastFastMs = 253_402_300_799_999;

const twoDigits = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
/** The end of every timestamp, "000Z" … "999Z". */
const millisAndZone = Array.from({ length: 1000 }, (_, n) => `${String(n).padStart(3, '0')}Z`);

let cachedDay = Number.NaN;
let cachedDatePart = '';
let cachedSecond = Number.NaN;
let cachedSecondPart = '';

/** The same text as `date.toISOString()`, including its RangeError for an invalid date. */
export function isoTimestamp(date: Date): string {
  const ms = date.getTime();
  // Also false for NaN, so an invalid date reaches toISOString and throws as it always did.
  if (!(ms >= firstFastMs && ms <= lastFastMs)) return date.toISOString();
  // Events come in bursts within one second: "YYYY-MM-DDTHH:mm:ss." is remembered, leaving one concatenation per call.
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecondPart = secondPart(second);
    cachedSecond = second;
  }
  return cachedSecondPart + millisAndZone[ms - second * 1000]!;
}

/** "YYYY-MM-DDTHH:mm:ss." for a second counted from 1970-01-01T00:00:00Z. */
function secondPart(second: number): string {
  const day = Math.floor(second / secondsPerDay);
  if (day !== cachedDay) {
    cachedDatePart = datePart(day);
    cachedDay = day;
  }
  let rest = second - day * secondsPerDay;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  rest -= minutes * 60;
  return `${cachedDatePart}${twoDigits[hours]}:${twoDigits[minutes]}:${twoDigits[rest]}.`;
}

/** "YYYY-MM-DDT" for a day counted from 1970-01-01 (proleptic Gregorian; H. Hinnant's civil_from_days). */
function datePart(day: number): string {
  const shifted = day + 719_468; // days since 0000-03-01
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${twoDigits[month]}-${twoDigits[dayOfMonth]}T`;
}
