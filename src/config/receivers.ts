// Which receiver gets each tier of a team's alerts. Validation uses it to refuse a tier that
// would reach nobody; the Alertmanager target uses it to build the routes.
import { DEFAULT_RECEIVER, NONE_RECEIVER, pageReceiverName, ticketReceiverName } from '../conventions.js';
import type { Team } from './schema/config.js';

const hasReceiver = (r: Team['page']) => r !== undefined && !r.none;

/**
 * Receiver of each tier, or undefined where its alerts would reach nobody without the user
 * having said so. A team without a page receiver is paged through its ticket one; without a
 * ticket receiver its warnings go to the default receiver, when there is one.
 */
export function tierReceivers(team: Team, hasDefaultReceiver: boolean): { page: string | undefined; ticket: string | undefined } {
  const fallback = hasDefaultReceiver ? DEFAULT_RECEIVER : undefined;
  const ticket = team.ticket?.none ? NONE_RECEIVER : hasReceiver(team.ticket) ? ticketReceiverName(team.name) : fallback;
  const page = team.page?.none
    ? NONE_RECEIVER
    : hasReceiver(team.page)
      ? pageReceiverName(team.name)
      : hasReceiver(team.ticket)
        ? ticket
        : fallback;
  return { page, ticket };
}
