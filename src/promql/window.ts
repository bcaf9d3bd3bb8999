// The `$window` placeholder of query SLIs: users write one expression, sloforge writes it once per
// window it records ("5m", "30m", "1h", ...).

export const WINDOW_PLACEHOLDER = '$window';

/** Every `$window` in `template` replaced by the window `w` ("5m"). */
export function atWindow(template: string, w: string): string {
  return template.split(WINDOW_PLACEHOLDER).join(w);
}

/** Whether the template names the placeholder (a query without it would read one fixed range for every window). */
export function hasWindow(template: string): boolean {
  return template.includes(WINDOW_PLACEHOLDER);
}

/** The window a template is read at when only its syntax and selectors matter. */
export const SAMPLE_WINDOW = '5m';

/** The template at the sample window: what validation, checks and the import parse. */
export function atSampleWindow(template: string): string {
  return atWindow(template, SAMPLE_WINDOW);
}
