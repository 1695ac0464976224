import { InvalidArgumentError } from './errors.js';

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a Go duration ("300ms", "10s", "1m30s", "2h") into milliseconds. */
export function parseDuration(text: string, what = 'duration'): number {
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while (pos < s.length && (m = re.exec(s)) !== null) {
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (s.length === 0 || pos !== s.length) {
    throw new InvalidArgumentError(`invalid ${what} "${text}": use a Go duration such as 300ms, 10s or 1m30s`);
  }
  return Math.round(total);
}

/** Formats milliseconds as a Go duration: 1500 -> "1.5s", 90000 -> "1m30s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s ? `${s}s` : h || m ? '0s' : ''}`;
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Parses docker's memory units ("512m", "512M", "512MB", "512MiB", "1.5G") into bytes (binary multiples). */
export function parseBytes(text: string, what = 'memory size'): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtb]?)(i?b)?$/i.exec(text.trim());
  const unit = m?.[2]?.toLowerCase() ?? '';
  if (!m || (unit === 'b' && m[3])) {
    throw new InvalidArgumentError(`invalid ${what} "${text}": use a number with an optional unit such as 512M, 1.5G or 1024K`);
  }
  return Math.round(Number(m[1]) * BYTE_UNITS[unit]!);
}

/** Formats bytes the way docker prints sizes: 536870912 -> "512MiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${Number.isInteger(v) ? v : v.toFixed(3).replace(/0+$/, '')}${units[i]}`;
}

/** Parses a CPU count ("0.5", "2") into nano CPUs. */
export function parseCpus(text: string): number {
  const v = Number(text.trim());
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !Number.isFinite(v)) {
    throw new InvalidArgumentError(`invalid CPU count "${text}": use a positive number such as 0.5 or 2`);
  }
  return Math.round(v * 1e9);
}
