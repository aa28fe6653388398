// The one timestamp format of file and folder names: UTC, `yyyymmdd-hhmmss`.
export function utcStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}
