// Team maintenance windows and business hours as Alertmanager 0.25 `time_intervals`.
import type { z } from 'zod';
import type { team, timeInterval } from '../config/schema/team.js';

type Team = z.output<typeof team>;
type Interval = z.output<typeof timeInterval>;

export interface AmTimeInterval {
  name: string;
  time_intervals: Array<Record<string, unknown>>;
}

export const maintenanceName = (teamName: string) => `${teamName}-maintenance`;
export const businessHoursName = (teamName: string) => `${teamName}-business-hours`;

const lower = (xs: string[] | undefined) => xs?.map((x) => x.toLowerCase());

function amInterval(i: Interval): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (i.times) out.times = i.times.map((t) => ({ start_time: t.start, end_time: t.end }));
  if (i.weekdays) out.weekdays = lower(i.weekdays);
  if (i.daysOfMonth) out.days_of_month = i.daysOfMonth;
  if (i.months) out.months = lower(i.months);
  if (i.years) out.years = i.years;
  if (i.location) out.location = i.location;
  return out;
}

export function teamTimeIntervals(t: Team): AmTimeInterval[] {
  const out: AmTimeInterval[] = [];
  if (t.maintenance) out.push({ name: maintenanceName(t.name), time_intervals: t.maintenance.map(amInterval) });
  if (t.businessHours) out.push({ name: businessHoursName(t.name), time_intervals: t.businessHours.map(amInterval) });
  return out;
}
