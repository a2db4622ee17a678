/**
 * Weft's bundled profile pictures, served under Langflow's folder names (`People/`, `Space/`) when
 * `<config_dir>/profile_pictures` has none, as Langflow falls back to the pictures in its package.
 * Simple geometric drawings of our own, kept as code so every build (tsc output or bundle) has them.
 * The file names follow Langflow's (`Space/046-rocket.svg` is the avatar Langflow's UI shows for a user
 * without a profile image), so a stored `profile_image` from Langflow still resolves.
 */
const frame = (background: string, body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64"><rect width="64" height="64" rx="32" fill="${background}"/>${body}</svg>\n`;

/** A head and shoulders; `hair` is a shape drawn over the head. */
const person = (background: string, skin: string, shirt: string, hair: string) =>
  frame(background, `<path d="M12 60c2-12 10-18 20-18s18 6 20 18z" fill="${shirt}"/><circle cx="32" cy="28" r="12" fill="${skin}"/>${hair}`);

const PEOPLE: Record<string, string> = {
  'People Avatar-01-01.svg': person('#fde68a', '#f1c27d', '#b45309', '<path d="M20 26a12 12 0 0 1 24 0c-4-5-20-5-24 0z" fill="#3f2a14"/>'),
  'People Avatar-01-02.svg': person('#99f6e4', '#c68642', '#0f766e', '<path d="M19 28a13 13 0 0 1 26 0v-4c-6-8-20-8-26 0z" fill="#111827"/>'),
  'People Avatar-01-03.svg': person('#fecdd3', '#ffdbac', '#be123c', '<path d="M18 34c-2-14 6-20 14-20s16 6 14 20c-2-8-6-12-14-12s-12 4-14 12z" fill="#92400e"/>'),
  'People Avatar-01-04.svg': person('#c7d2fe', '#8d5524', '#4338ca', '<circle cx="32" cy="15" r="6" fill="#1f2937"/>'),
  'People Avatar-01-05.svg': person('#d9f99d', '#e0ac69', '#4d7c0f', '<rect x="20" y="14" width="24" height="7" rx="3" fill="#7c2d12"/>'),
};

const SPACE: Record<string, string> = {
  '031-planet.svg': frame('#1e1b4b', '<circle cx="32" cy="32" r="13" fill="#f59e0b"/><ellipse cx="32" cy="33" rx="24" ry="6" fill="none" stroke="#fde68a" stroke-width="3"/>'),
  '033-planet.svg': frame('#0f172a', '<circle cx="32" cy="32" r="16" fill="#e5e7eb"/><circle cx="26" cy="27" r="3" fill="#9ca3af"/><circle cx="37" cy="38" r="4" fill="#9ca3af"/><circle cx="38" cy="25" r="2" fill="#9ca3af"/>'),
  '032-constellation.svg': frame('#172554', '<path d="M32 12l5.9 12.5 13.6 1.6-10 9.4 2.6 13.5L32 42.3 19.9 49l2.6-13.5-10-9.4 13.6-1.6z" fill="#facc15"/>'),
  '046-rocket.svg': frame('#312e81', '<path d="M32 10c8 6 10 16 8 28H24c-2-12 0-22 8-28z" fill="#f8fafc"/><circle cx="32" cy="26" r="4" fill="#38bdf8"/><path d="M24 38l-6 8h8zM40 38l6 8h-8z" fill="#ef4444"/><path d="M28 40h8l-4 12z" fill="#f97316"/>'),
  '037-meteor.svg': frame('#020617', '<path d="M14 14l26 18-6 6z" fill="#7dd3fc" opacity="0.6"/><circle cx="42" cy="40" r="9" fill="#e0f2fe"/>'),
};

const BUNDLED: Record<string, Record<string, string>> = { People: PEOPLE, Space: SPACE };

/** The bundled folders, sorted. */
export function bundledPictureFolders(): string[] {
  return Object.keys(BUNDLED).sort();
}

/** The bundled file names of a folder, sorted (none for an unknown folder). */
export function bundledPictures(folder: string): string[] {
  return Object.keys(BUNDLED[folder] ?? {}).sort();
}

/** A bundled picture's bytes, or null. */
export function bundledPicture(folder: string, fileName: string): Buffer | null {
  const svg = Object.hasOwn(BUNDLED, folder) && Object.hasOwn(BUNDLED[folder], fileName) ? BUNDLED[folder][fileName] : undefined;
  return svg === undefined ? null : Buffer.from(svg, 'utf8');
}
