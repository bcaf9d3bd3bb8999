// Notification templates shared by every receiver kind, shipped next to alertmanager.yml.
// Alertmanager passes a group of alerts; each alert is rendered on its own because a group may
// mix SLOs of one service, and a page must show which budget burns and where to look first.

import { LABEL } from '../conventions.js';

/** Path of the template file inside the output folder, and as alertmanager.yml names it. */
export const TEMPLATE_FILE = 'alertmanager/templates/sloforge.tmpl';
export const TEMPLATE_GLOB = 'templates/*.tmpl';

/** Template names receivers refer to with {{ template "<name>" . }}. */
export const T = {
  title: 'sloforge.title',
  text: 'sloforge.text',
  slackTitle: 'sloforge.slack.title',
  slackText: 'sloforge.slack.text',
  slackColor: 'sloforge.slack.color',
  titleLink: 'sloforge.title_link',
  pagerdutySeverity: 'sloforge.pagerduty.severity',
  opsgeniePriority: 'sloforge.opsgenie.priority',
  burnRate: 'sloforge.burn_rate',
  groupBurnRate: 'sloforge.group_burn_rate',
} as const;

export const ref = (name: string) => `{{ template "${name}" . }}`;

/** Slack reads <, > and & as markup: free text (annotations, label values) goes through this. */
const SLACK_ESCAPE = '| reReplaceAll "&" "&amp;" | reReplaceAll "<" "&lt;" | reReplaceAll ">" "&gt;"';

/**
 * The alert's labels other than sloforge's own, which the lines around them already show: a
 * grouped SLO's group (route=/cart), the series labels a threshold keeps (action=..., instance=...)
 * and the service's own labels. Values come from series: Slack gets them escaped.
 */
const OTHER_LABELS = `.Labels.Remove (stringSlice ${Object.values(LABEL)
  .filter((l) => l !== LABEL.le)
  .map((l) => JSON.stringify(l))
  .join(' ')})`;

// Kept as Go template text; "{{-" / "-}}" trim the newlines that make this file readable.
export const TEMPLATE_TEXT = `{{/* sloforge notification templates. Alerts from sloforge carry the labels service, team,
     severity and slo or threshold, and the annotations summary, description, objective,
     runbook_url and dashboard (each annotation may be absent). */}}

{{/* What the whole notification is about: "[FIRING:2] checkout availability: ...". */}}
{{ define "${T.title}" -}}
[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ if .CommonAnnotations.summary }}{{ .CommonAnnotations.summary }}{{ else }}{{ .CommonLabels.service }}{{ with .CommonLabels.slo }} {{ . }}{{ end }}{{ with .CommonLabels.threshold }} {{ . }}{{ end }}: {{ .CommonLabels.alertname }}{{ end }}
{{- end }}

{{/* How fast the budget burns: the rule's burn_rate annotation when it sets one, else the tier. */}}
{{ define "${T.burnRate}" -}}
{{ if .Annotations.burn_rate }}{{ .Annotations.burn_rate }}{{ else if eq .Labels.severity "critical" }}fast (page tier){{ else }}slow (ticket tier){{ end }}
{{- end }}

{{/* The same for a whole group (PagerDuty details): empty unless it is about an SLO's burn. */}}
{{ define "${T.groupBurnRate}" -}}
{{ if and .CommonLabels.slo (not .CommonLabels.nodata) }}{{ with .CommonAnnotations.burn_rate }}{{ . }}{{ else }}{{ if eq .CommonLabels.severity "critical" }}fast (page tier){{ else }}slow (ticket tier){{ end }}{{ end }}{{ end }}
{{- end }}

{{/* Where a click should go: the dashboard when all alerts share one, else the runbook. */}}
{{ define "${T.titleLink}" -}}
{{ if .CommonAnnotations.dashboard }}{{ .CommonAnnotations.dashboard }}{{ else }}{{ .CommonAnnotations.runbook_url }}{{ end }}
{{- end }}

{{/* Plain text for email, Opsgenie, Webex, Discord and Telegram. */}}
{{ define "${T.text}" -}}
{{ range .Alerts -}}
[{{ if eq .Status "resolved" }}RESOLVED{{ else }}{{ .Labels.severity | toUpper }}{{ end }}] {{ if .Annotations.summary }}{{ .Annotations.summary }}{{ else }}{{ .Labels.alertname }}{{ end }}
Service: {{ .Labels.service }}{{ with .Labels.team }} (team {{ . }}){{ end }}
{{ if .Labels.slo }}SLO: {{ .Labels.slo }}{{ with .Annotations.objective }} (objective {{ . }}){{ end }}
{{ if not .Labels.nodata }}Burn rate: {{ template "${T.burnRate}" . }}
{{ end }}{{ end }}{{ with .Labels.threshold }}Threshold: {{ . }}
{{ end }}{{ with ${OTHER_LABELS} }}Labels: {{ range $i, $l := .SortedPairs }}{{ if $i }}, {{ end }}{{ $l.Name }}={{ $l.Value }}{{ end }}
{{ end }}{{ if .Labels.nodata }}No data: the SLI or threshold query returns nothing
{{ end }}{{ with .Annotations.description }}{{ . }}
{{ end }}{{ with .Annotations.runbook_url }}Runbook: {{ . }}
{{ end }}{{ with .Annotations.dashboard }}Dashboard: {{ . }}
{{ end }}{{ with .Labels.remediation }}Remediation: {{ . }} (run by the sloforge receiver)
{{ end }}Since: {{ .StartsAt.Format "2006-01-02 15:04:05 MST" }}

{{ end -}}
{{- end }}

{{/* Slack: one attachment per group, mrkdwn text with one block per alert; Slack reads <, > and &
     as markup, so free text is escaped. */}}
{{ define "${T.slackTitle}" }}{{ template "${T.title}" . }}{{ end }}

{{ define "${T.slackColor}" -}}
{{ if eq .Status "resolved" }}good{{ else if eq .CommonLabels.severity "critical" }}danger{{ else }}warning{{ end }}
{{- end }}

{{ define "${T.slackText}" -}}
{{ range .Alerts -}}
*{{ if eq .Status "resolved" }}RESOLVED{{ else }}{{ .Labels.severity | toUpper }}{{ end }}* {{ if .Annotations.summary }}{{ .Annotations.summary ${SLACK_ESCAPE} }}{{ else }}{{ .Labels.alertname }}{{ end }}
*Service:* {{ .Labels.service }}{{ with .Labels.slo }}  *SLO:* {{ . }}{{ end }}{{ with .Annotations.objective }}  *Objective:* {{ . }}{{ end }}{{ with .Labels.threshold }}  *Threshold:* {{ . }}{{ end }}
{{ with ${OTHER_LABELS} }}*Labels:* {{ range $i, $l := .SortedPairs }}{{ if $i }}, {{ end }}{{ $l.Name }}={{ $l.Value ${SLACK_ESCAPE} }}{{ end }}
{{ end }}{{ if .Labels.nodata }}*No data:* the SLI or threshold query returns nothing
{{ else if .Labels.slo }}*Burn rate:* {{ template "${T.burnRate}" . }}
{{ end }}{{ with .Annotations.description }}{{ . ${SLACK_ESCAPE} }}
{{ end }}{{ if .Annotations.runbook_url }}<{{ .Annotations.runbook_url }}|Runbook>{{ if .Annotations.dashboard }} | {{ end }}{{ end }}{{ with .Annotations.dashboard }}<{{ . }}|Dashboard>{{ end }}{{ if or .Annotations.runbook_url .Annotations.dashboard }}
{{ end }}{{ with .Labels.remediation }}_Remediation {{ . }} is run by the sloforge receiver._
{{ end }}
{{ end -}}
{{- end }}

{{/* PagerDuty: the severity of the event follows the alert's. */}}
{{ define "${T.pagerdutySeverity}" -}}
{{ if eq .CommonLabels.severity "critical" }}critical{{ else if eq .CommonLabels.severity "warning" }}warning{{ else }}info{{ end }}
{{- end }}

{{ define "${T.opsgeniePriority}" -}}
{{ if eq .CommonLabels.severity "critical" }}P1{{ else if eq .CommonLabels.severity "warning" }}P3{{ else }}P5{{ end }}
{{- end }}
`;
