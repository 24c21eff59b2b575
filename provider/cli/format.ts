/** The CLI's human-readable table. */
import type { Image } from '../core/image';

const COLUMNS: [string, (i: Image) => string][] = [
  ['ID', (i) => i.id],
  ['NAME', (i) => i.name],
  ['CREATED', (i) => i.createdAt ?? '-'],
  ['ARCH', (i) => i.architecture],
  ['OS', (i) => [i.osDistro ?? i.osType, i.osVersion].filter(Boolean).join(' ')],
  ['GPU', (i) => (i.gpu.supported ? [i.gpu.vendor, i.gpu.models.join('/'), i.gpu.driver].filter(Boolean).join(' ') || 'yes' : i.gpu.supported === false ? 'no' : '-')],
  ['TYPE', (i) => i.machineType],
  ['STATUS', (i) => i.status],
  ['VISIBILITY', (i) => i.visibility ?? '-'],
];

export function formatTable(images: readonly Image[]): string {
  const rows = images.map((image) => COLUMNS.map(([, get]) => get(image)));
  const widths = COLUMNS.map(([title], c) => Math.max(title.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  return [line(COLUMNS.map(([title]) => title)), ...rows.map(line)].join('\n');
}
