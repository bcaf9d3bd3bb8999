import { z } from 'zod';
import { duration, filePath, url } from './common.js';
import { emailReceiver, receiver, teamRouting } from './team.js';

/** Settings of the generated alertmanager.yml that belong to no single team. */
export const alertmanagerSettings = z.strictObject({
  /** Where alerts carrying a `remediation` label are sent (sloforge's receiver). */
  remediation: z
    .strictObject({
      url: url.optional(),
      credentialsFile: filePath.optional(),
    })
    .optional(),
  /** Gets alerts no team route matches; without it they are dropped (and visible in the UI). */
  defaultReceiver: receiver.optional(),
  /** Timing defaults for every team, each team's `routing` overrides them. */
  routing: teamRouting.optional(),
  /** Shared SMTP settings, so email receivers need only `to`. */
  smtp: emailReceiver.omit({ to: true }).optional(),
  resolveTimeout: duration.optional(),
});
