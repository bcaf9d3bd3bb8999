// URLs in audit details and logs: /api/actions and stderr are read by more people than the
// actions file, so a URL's credentials (user:password@) and query string (where API keys tend
// to travel) never reach them.
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '(unparsable URL)';
  }
  const auth = u.username !== '' || u.password !== '' ? '***@' : '';
  const query = u.search !== '' ? '?***' : '';
  return `${u.protocol}//${auth}${u.host}${u.pathname}${query}`;
}
