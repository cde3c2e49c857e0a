/**
 * The browser's side of signing in: the bearer token (and where the person lands) in localStorage. A wall display's
 * device token arrives once in the address's fragment (`/kiosk/lobby#token=…`, never sent to a server or logged) and
 * is kept like a person's. The token is only read here for display (name, roles); the API verifies it on every call.
 */
const TOKEN = 'opsdeck.token';
const HOME = 'opsdeck.home';

const storage = (): Storage | undefined => (typeof localStorage === 'undefined' ? undefined : localStorage);

export const getToken = (): string | null => storage()?.getItem(TOKEN) ?? null;

export function setSession(token: string, home?: string): void {
  storage()?.setItem(TOKEN, token);
  if (home) storage()?.setItem(HOME, home);
  else storage()?.removeItem(HOME);
}

export function signOut(): void {
  storage()?.removeItem(TOKEN);
  storage()?.removeItem(HOME);
  location.assign('/signin');
}

/** Where the signed-in person lands from `/`. */
export const homePath = (): string => storage()?.getItem(HOME) ?? '/wall/campus';

export const authHeaders = (): Record<string, string> => {
  const t = getToken();
  return t ? { Authorization: `Bearer ${t}` } : {};
};

/** The name and roles the token states (for display only). */
export function tokenClaims(): { name: string; roles: string[]; display?: string } | null {
  const t = getToken();
  if (!t) return null;
  try {
    const b64 = t.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const json = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0)))) as { name?: string; sub?: string; roles?: string[]; display?: string };
    return { name: json.name ?? json.sub ?? '', roles: json.roles ?? [], ...(json.display ? { display: json.display } : {}) };
  } catch {
    return null;
  }
}

/** Takes a device token from the address's fragment, keeps it, and removes it from the address. */
export function adoptFragmentToken(): void {
  const m = /(?:^#|&)token=([A-Za-z0-9._-]+)/.exec(location.hash);
  if (!m) return;
  setSession(m[1]!);
  history.replaceState(null, '', `${location.pathname}${location.search}`);
}

/** To the sign-in page, coming back here after. */
export function toSignIn(): void {
  location.assign(`/signin?next=${encodeURIComponent(`${location.pathname}${location.search}`)}`);
}
