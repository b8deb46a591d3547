// Charter dates and times are wall-clock times in the business's zone (SPEC: "times HH:MM in
// the business's zone"), so the countdown converts them with Intl, not the browser's zone.

function zoneOffsetMs(epochMs, zone) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(new Date(epochMs));
  const get = (type) => Number(parts.find((part) => part.type === type).value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** The instant of `date` (YYYY-MM-DD) at `time` (HH:MM) on the clocks of `zone`. */
export function zonedInstant(date, time, zone) {
  const [year, month, day] = date.split("-").map(Number);
  const [hour, minute] = (time || "00:00").split(":").map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let instant = wall - zoneOffsetMs(wall, zone);
  instant = wall - zoneOffsetMs(instant, zone);  // second pass settles a DST change between the two
  return instant;
}

/** Today's date (YYYY-MM-DD) on the business's clocks. */
export function todayIn(zone) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date());
}

export function minutesBetween(start, end) {
  if (!start || !end) return null;
  const toMinutes = (time) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  return toMinutes(end) - toMinutes(start);
}

export function durationWords(minutes) {
  if (minutes === null || minutes === undefined) return "—";
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return [hours ? `${hours} h` : "", rest ? `${rest} min` : ""].filter(Boolean).join(" ") || "0 min";
}

/** "in 3 days 4 h", "in 45 min", "2 days ago": how far an instant is from now. */
export function relativeWords(instant, now = Date.now()) {
  const minutes = Math.round(Math.abs(instant - now) / 60000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  let span;
  if (days) span = `${days} day${days === 1 ? "" : "s"}${hours ? ` ${hours} h` : ""}`;
  else if (hours) span = `${hours} h${mins ? ` ${mins} min` : ""}`;
  else span = `${mins} min`;
  return instant >= now ? `in ${span}` : `${span} ago`;
}

export function longDate(date) {
  const [year, month, day] = date.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day)).toLocaleDateString("en-US", {
    timeZone: "UTC", weekday: "short", year: "numeric", month: "short", day: "numeric",
  });
}

export function stamp(iso) {
  if (!iso) return "—";
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  return when.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });
}

export function dollars(value) {
  if (value === null || value === undefined || value === "") return "—";
  return Number(value).toLocaleString("en-US", { style: "currency", currency: "USD" });
}
