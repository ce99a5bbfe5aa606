// Path helpers that work for POSIX and Windows paths the engine reports (the renderer has no `path` module).
export function sep(p: string): string {
  return p.includes('\\') && !p.includes('/') ? '\\' : '/';
}
export function dirname(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i > 0 ? p.slice(0, i) : p;
}
export function basename(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return p.slice(i + 1);
}
export function join(dir: string, name: string): string {
  return dir.endsWith('/') || dir.endsWith('\\') ? dir + name : dir + sep(dir) + name;
}
export function slug(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'penugasan';
}
export function stamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}
/** Default output file next to the engagement: <engagement dir>/ekspor/<name>-<stamp>.<ext>. */
export function exportPath(workspacePath: string, name: string, ext: string): string {
  return join(join(dirname(workspacePath), 'ekspor'), `${slug(name)}-${stamp()}.${ext}`);
}
