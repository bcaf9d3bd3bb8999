// A team that can receive every alert it gets, for tests about something else than routing.
export function team(name: string): { name: string; ticket: { webhook: { url: string } } } {
  // Without a page receiver, pages go to the ticket one: both severities reach someone.
  return { name, ticket: { webhook: { url: `http://alerts.example/${name}` } } };
}
