import type { DeliveryContextRow, ScopedTemplate } from '@levensloop/notifications';
import { rows } from './sql';
import type { Db } from './db';

/**
 * One row per delivery id in `$1` (a uuid[]): the notification, the journey, the step, its
 * agency, the open citizen task, the decision and the names of recipient and subject; `expired`
 * when the message is past its expiry or asks for something no longer open.
 */
const DELIVERY_CONTEXT_SQL = `
  SELECT d.id AS delivery_id, n.category, n.data, n.journey_id, n.transaction_id, n.action_needed, n.created_at, n.expires_at,
         j.title AS journey_title, j.cancel_reason, s.title AS step_title, a.names AS agency_names,
         t.due_at AS task_due_at, dec.explanation, coalesce(ov.outcome, dec.override_outcome, dec.outcome) AS decision_outcome,
         cp.prefilled->>'name' AS recipient_name, sp.prefilled->>'name' AS subject_name,
         -- Written with the notification; older rows name no agency: their step's agency then.
         coalesce(n.agency, s.agency) AS agency, n.trace_context,
         -- The agency a decision's remedy goes to, when not the deciding one (notifications remedy.ts).
         ra.names AS remedy_agency_names,
         ((n.expires_at IS NOT NULL AND n.expires_at <= now())
           OR (n.action_needed AND n.node_key IS NOT NULL AND t.open IS NULL)) AS expired
    FROM notification_deliveries d
    JOIN notifications n ON n.id = d.notification_id
    JOIN journeys j ON j.id = n.journey_id
    LEFT JOIN journey_steps s ON s.journey_id = n.journey_id AND s.node_key = n.node_key
    LEFT JOIN agencies a ON a.code = s.agency
    LEFT JOIN agencies ra ON ra.code = n.data->'remedy'->>'agency'
    LEFT JOIN LATERAL (SELECT true AS open, t.due_at FROM tasks t
                        WHERE t.journey_id = n.journey_id AND t.node_key = n.node_key AND t.assignee = 'citizen' AND t.status IN ('open', 'claimed')
                        ORDER BY t.created_at DESC LIMIT 1) t ON true
    LEFT JOIN decisions dec ON dec.journey_id = n.journey_id AND dec.node_key = n.node_key
    LEFT JOIN decision_overrides ov ON ov.journey_id = n.journey_id AND ov.node_key = n.node_key
    LEFT JOIN contact_prefills cp ON cp.subject_id = d.recipient_id
    LEFT JOIN contact_prefills sp ON sp.subject_id = j.subject_id
   WHERE d.id = ANY($1)`;

/**
 * The registered template in force per scope (an agency, or global: agency NULL), category and
 * language: the newest version of each (no row: the default applies).
 */
const ACTIVE_TEMPLATES_SQL = `
  SELECT DISTINCT ON (category, language, agency) category, language, agency, version, subject, body, sms, created_at, created_by
    FROM notification_templates ORDER BY category, language, agency, version DESC`;

/**
 * What messages are rendered from, for whoever renders one: the dispatcher once per delivery,
 * the API for what was not rendered yet or is asked for in another language. Reads only.
 */
export class NotificationContent {
  constructor(private readonly ds: Db) {}

  /** The context of each delivery (none for one whose journey is not in the read model). */
  async contexts(deliveryIds: readonly string[], db: Db = this.ds): Promise<Map<string, DeliveryContextRow>> {
    const found = await rows<DeliveryContextRow>(db, DELIVERY_CONTEXT_SQL, [deliveryIds]);
    return new Map(found.map((r) => [r.delivery_id, r]));
  }

  /** The newest registered template per scope, category and language (of one category and language when asked). */
  templatesInForce(of?: { category: string; language: string }): Promise<ScopedTemplate[]> {
    if (of) return rows<ScopedTemplate>(this.ds, `SELECT * FROM (${ACTIVE_TEMPLATES_SQL}) t WHERE category = $1 AND language = $2`, [of.category, of.language]);
    return rows<ScopedTemplate>(this.ds, ACTIVE_TEMPLATES_SQL);
  }
}
