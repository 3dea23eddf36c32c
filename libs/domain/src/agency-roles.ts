import type { Problem } from './problem';
import type { Language, LegalBasis, StepReference, SubjectType, Translations } from './model';

/**
 * Agency roles: a life-event node may name its agency by role ("the subject's municipality")
 * instead of by code. A role says which authentic source and field of the subject gives the key
 * (the address register's municipality NIS code), and agencies declare which key they serve
 * (`serves: { municipality: "44021" }` in the catalog). The journey resolves the role when the
 * step starts (an activity) and pins the step version of the agency found.
 *
 * Adding a role is one entry below (its source field must be in the source catalog), e.g.
 * `health-insurer` once a source holds the subject's insurer.
 */
export interface AgencyRole {
  code: string;
  titles: Translations;
  /** The authentic source and field (of the subject) that give the key agencies serve. */
  source: string;
  field: string;
  subjectTypes: SubjectType[];
  /** How the key is named when the routing is explained, per language (e.g. NIS). */
  keyLabel: Translations;
  /** The agency that answers for the step while it is not routed, or cannot be (it sees the step's attention). */
  agency: string;
  /** Why the engine reads the field to route (the data-access log shows it), and on which basis. */
  purpose: Translations;
  legalBasis: LegalBasis;
}

export const AGENCY_ROLES: Readonly<Record<string, AgencyRole>> = {
  municipality: {
    code: 'municipality',
    titles: { nl: 'De gemeente van de burger', fr: 'La commune du citoyen', de: 'Die Gemeinde des Bürgers', en: "The citizen's municipality" },
    source: 'address-register',
    field: 'municipalityCode',
    subjectTypes: ['person', 'enterprise'],
    keyLabel: { nl: 'NIS', fr: 'INS', de: 'NIS', en: 'NIS' },
    agency: 'municipality',
    purpose: {
      nl: 'Bepalen welke gemeente de stap behandelt: de gemeente waar u woont',
      fr: "Déterminer quelle commune traite l'étape : la commune où vous habitez",
      de: 'Bestimmen, welche Gemeinde den Schritt bearbeitet: die Gemeinde, in der Sie wohnen',
      en: 'Find which municipality handles the step: the one you live in',
    },
    legalBasis: { type: 'law', reference: 'Wet van 19 juli 1991 betreffende de bevolkingsregisters' },
  },
};

/** A role's reference: the agency is chosen when the step starts; version 0 means "pinned then". */
export type RoleStepReference = StepReference & { agencyRole: string };

export const isRoleReference = (ref: Partial<StepReference> | undefined | null): ref is RoleStepReference => typeof ref?.agencyRole === 'string';

/** The stored form of a role reference: the role's answering agency and version 0 until routed. */
export function roleReference(role: string, key: string): RoleStepReference {
  return { agencyRole: role, agency: AGENCY_ROLES[role]?.agency ?? role, key, version: 0 };
}

/** What agencies declare they serve: one key per role. */
export type AgencyServes = Record<string, string>;

const SERVED_KEY = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/;

export function validateServes(serves: unknown, path = '/serves'): Problem[] {
  if (serves === undefined) return [];
  if (!serves || typeof serves !== 'object' || Array.isArray(serves)) return [{ path, message: 'serves must map a role to the key the agency serves, e.g. { "municipality": "44021" }' }];
  const problems: Problem[] = [];
  for (const [role, value] of Object.entries(serves as Record<string, unknown>)) {
    if (!AGENCY_ROLES[role]) problems.push({ path: `${path}/${role}`, message: `unknown role '${role}'; roles: ${Object.keys(AGENCY_ROLES).join(', ')}` });
    else if (typeof value !== 'string' || !SERVED_KEY.test(value)) problems.push({ path: `${path}/${role}`, message: `the key served must be 1 to 64 letters, digits, dots or dashes (e.g. the NIS code "44021")` });
  }
  return problems;
}

/** Problems with a role reference: the role must exist, and its version is chosen at run time. */
export function roleReferenceProblems(ref: RoleStepReference, path: string, audience?: SubjectType): Problem[] {
  const role = AGENCY_ROLES[ref.agencyRole];
  if (!role) return [{ path: `${path}/agencyRole`, message: `unknown agency role '${ref.agencyRole}'; roles: ${Object.keys(AGENCY_ROLES).join(', ')}` }];
  const problems: Problem[] = [];
  if (ref.agency !== undefined && ref.agency !== role.agency) problems.push({ path: `${path}/agency`, message: `give agency or agencyRole, not both: the role '${role.code}' chooses the agency when the step starts` });
  if (ref.version !== 0) problems.push({ path: `${path}/version`, message: 'a step named by role takes the latest version of the agency it is routed to: use version: latest (0 in the API)' });
  if (audience && !role.subjectTypes.includes(audience)) problems.push({ path: `${path}/agencyRole`, message: `role '${role.code}' is not known for a subject of type ${audience}` });
  return problems;
}

/** Why the journey routed a step to an agency, per language: "routed to Gent (NIS 44021), from the address register". */
export function routingExplanation(role: AgencyRole, agencyNames: Translations, value: string, sourceTitles: Translations): Translations {
  const text = (lang: Language) => {
    const name = agencyNames[lang] ?? agencyNames.nl;
    const label = role.keyLabel[lang] ?? role.keyLabel.nl;
    const title = sourceTitles[lang] ?? sourceTitles.nl;
    const source = lang === 'de' ? title : title.toLowerCase(); // German nouns keep their capital
    return {
      nl: `toegewezen aan ${name} (${label} ${value}), volgens het ${source}`,
      fr: `confié à ${name} (${label} ${value}), selon le ${source}`,
      de: `zugewiesen an ${name} (${label} ${value}), laut dem ${source}`,
      en: `routed to ${name} (${label} ${value}), from the ${source}`,
    }[lang];
  };
  return { nl: text('nl'), fr: text('fr'), de: text('de'), en: text('en') };
}

/** Why a step cannot be routed: no agency serves the key, or the agency does not offer the step (yet). */
export function notOfferedMessage(role: AgencyRole, value: string | undefined, stepKey: string, agency?: { code: string; name: string }): string {
  if (value === undefined) return `The ${role.source} holds no ${role.field} for the subject, so step '${stepKey}' cannot be routed to the subject's ${role.code}; skip the step, or retry once the register is corrected.`;
  const label = role.keyLabel.en;
  if (!agency) return `No agency serves ${role.code} ${label} ${value} (from the ${role.source}), so step '${stepKey}' is not offered there; retry once that ${role.code} is registered as an agency, or skip the step.`;
  return `${agency.name} (${label} ${value}, agency ${agency.code}) does not offer step '${stepKey}' yet; retry once it has published the step, or skip the step.`;
}
