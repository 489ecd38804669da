// The fields the rules in policies/rego actually read: the input the evaluator sends, small so that identical
// inputs repeat within a batch and are judged once. A rule that reads another field must add it here;
// judged-view.test.ts fails until it does (it compares decisions on this view with those on the full policy view).
import type { AuditRecord } from '../../core/record.js';

export interface JudgedView {
  event: { action: string; outcome: string };
  package?: AuditRecord['package'];
  goenv?: AuditRecord['goenv'];
  host?: { name: string };
  url?: { path: string };
  http?: { request?: { method?: string }; response?: { status_code?: number } };
  modtrail?: { repository?: string; sumdb?: string; source_action?: string };
}

export function judgedView(record: AuditRecord): JudgedView {
  const view: JudgedView = { event: { action: record.event.action, outcome: record.event.outcome } };
  if (record.package !== undefined) view.package = record.package;
  if (record.goenv !== undefined) view.goenv = record.goenv;
  if (record.host !== undefined) view.host = { name: record.host.name };
  if (record.url !== undefined) view.url = { path: record.url.path };
  const http = record.http;
  if (http !== undefined) {
    view.http = {};
    if (http.request?.method !== undefined) view.http.request = { method: http.request.method };
    if (http.response?.status_code !== undefined) view.http.response = { status_code: http.response.status_code };
  }
  const modtrail = record.modtrail;
  if (modtrail !== undefined && (modtrail.repository !== undefined || modtrail.sumdb !== undefined || modtrail.source_action !== undefined)) {
    view.modtrail = {};
    if (modtrail.repository !== undefined) view.modtrail.repository = modtrail.repository;
    if (modtrail.sumdb !== undefined) view.modtrail.sumdb = modtrail.sumdb;
    if (modtrail.source_action !== undefined) view.modtrail.source_action = modtrail.source_action;
  }
  return view;
}
