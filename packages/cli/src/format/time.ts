// docker/go-units HumanDuration, the wording of every "… ago" docker prints.
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3_600_000);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}

/** "8 seconds ago", "about a minute ago": lower-cased as docker's CURRENT STATE column prints it. */
export function ago(then: number, now: number): string {
  return `${humanDuration(Math.max(0, now - then)).toLowerCase()} ago`;
}

/** A Go RFC3339Nano timestamp (trailing zeros of the fraction dropped) from unix nanoseconds. */
export function rfc3339Nano(unixNs: number): string {
  const seconds = Math.floor(unixNs / 1e9);
  const nanos = Math.max(0, Math.round(unixNs - seconds * 1e9));
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  const fraction = nanos ? `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}` : '';
  return `${base}${fraction}Z`;
}
