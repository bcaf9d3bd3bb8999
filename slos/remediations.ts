import { defineRemediation } from 'sloforge';

// Actions the remediation receiver may run when an alert names them.
export const remediations = [
  defineRemediation({
    name: 'restart-checkout',
    description: 'Ask the checkout admin endpoint to recycle its workers',
    cooldown: '10m',
    action: { http: { url: 'http://127.0.0.1:8080/admin/restart', method: 'POST' } },
  }),
];
