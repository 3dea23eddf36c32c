import { useState } from 'preact/hooks';
import { ApiError, request, useResource } from '../api';
import { Field, PageTitle, placeProblems, ProblemSummary, SelectField, useFocusFirstInvalid, useSubmit } from '../components';
import { t, tr, type Translations } from '../i18n';
import { Link, navigate } from '../router';

const KINDS = ['start', 'annul', 'change', 'correct'] as const;
const SUBJECT_TYPES = ['person', 'enterprise'] as const;
const POINTERS = ['/type', '/source', '/kind', '/annuls', '/subject/type', '/subject/path', '/subject', '/description', '/schema'];

const EXAMPLE_SCHEMA = JSON.stringify(
  { type: 'object', required: ['person'], properties: { person: { type: 'object', required: ['nationalNumber'], properties: { nationalNumber: { type: 'string', format: 'national-number' } } } } },
  null,
  2,
);

interface Form {
  type: string;
  source: string;
  kind: string;
  annuls: string;
  subjectType: string;
  subjectPath: string;
  description: string;
  schema: string;
}

/** A refusal made here, in the API's shape, so it shows like the API's own: the schema that is not JSON. */
const localProblem = (path: string, message: string) => new ApiError(400, { title: 'Invalid', status: 400, detail: message, errors: [{ path, message }] });

/** Catalog admins register an event type (POST /event-types); the API's problems show at their fields. */
export function NewEventType() {
  const sources = useResource<Array<{ key: string; titles: Translations }>>('/sources');
  const [form, setForm] = useState<Form>({ type: '', source: 'national-register', kind: 'start', annuls: '', subjectType: 'person', subjectPath: '', description: '', schema: EXAMPLE_SCHEMA });
  const { busy, problem, setProblem, submit: register } = useSubmit(async (schema: unknown) => {
    const body = {
      type: form.type.trim(),
      source: form.source,
      kind: form.kind,
      ...(form.kind === 'annul' ? { annuls: form.annuls.trim() } : {}),
      subject: { type: form.subjectType, path: form.subjectPath.trim() },
      description: form.description.trim(),
      schema,
    };
    const res = await request<{ type: string }>('POST', '/event-types', { body });
    if (res.data) navigate('/catalog');
  });
  const formRef = useFocusFirstInvalid(problem);
  const { at, other } = placeProblems(problem, POINTERS);
  const set = (name: keyof Form) => (e: Event) => setForm({ ...form, [name]: (e.target as HTMLInputElement).value });

  const submit = (e: Event) => {
    e.preventDefault();
    let schema: unknown;
    try {
      schema = JSON.parse(form.schema);
    } catch {
      setProblem(localProblem('/schema', t('eventTypeForm.schemaNotJson')));
      return;
    }
    void register(schema);
  };

  const sourceKeys = (sources.data ?? []).map((s) => s.key);
  return (
    <>
      <PageTitle>{t('eventTypeForm.title')}</PageTitle>
      <p>
        <Link href="/catalog">{t('catalog.back')}</Link>
      </p>
      <p>{t('eventTypeForm.intro')}</p>
      <form class="form" ref={formRef} onSubmit={submit} noValidate>
        <Field id="et-type" label={t('eventTypeForm.type')} hint={t('eventTypeForm.typeHint')} error={at('/type')} control={(p) => <input {...p} type="text" required aria-required="true" spellcheck={false} value={form.type} onInput={set('type')} />} />
        <SelectField
          id="et-source"
          label={t('eventTypes.source')}
          error={at('/source')}
          value={form.source}
          options={sourceKeys.length ? sourceKeys : [form.source]}
          optionLabel={(k) => tr(sources.data?.find((s) => s.key === k)?.titles ?? { nl: k }, k)}
          onChange={(v) => setForm({ ...form, source: v })}
        />
        <SelectField id="et-kind" label={t('eventTypes.kind')} error={at('/kind')} value={form.kind} options={KINDS} optionLabel={(k) => t(`eventTypes.kind.${k}`)} onChange={(v) => setForm({ ...form, kind: v })} />
        {form.kind === 'annul' ? (
          <Field id="et-annuls" label={t('eventTypes.annuls')} hint={t('eventTypeForm.annulsHint')} error={at('/annuls')} control={(p) => <input {...p} type="text" spellcheck={false} value={form.annuls} onInput={set('annuls')} />} />
        ) : null}
        <SelectField
          id="et-subject-type"
          label={t('eventTypeForm.subjectType')}
          error={at('/subject/type')}
          value={form.subjectType}
          options={SUBJECT_TYPES}
          optionLabel={(k) => t(`eventTypes.subject.${k}`)}
          onChange={(v) => setForm({ ...form, subjectType: v })}
        />
        <Field
          id="et-subject-path"
          label={t('eventTypeForm.subjectPath')}
          hint={t('eventTypeForm.subjectPathHint')}
          error={at('/subject/path') ?? at('/subject')}
          control={(p) => <input {...p} type="text" required aria-required="true" spellcheck={false} value={form.subjectPath} onInput={set('subjectPath')} />}
        />
        <Field id="et-description" label={t('eventTypeForm.description')} hint={t('eventTypeForm.descriptionHint')} error={at('/description')} control={(p) => <input {...p} type="text" required aria-required="true" value={form.description} onInput={set('description')} />} />
        <Field
          id="et-schema"
          label={t('eventTypeForm.schema')}
          hint={t('eventTypeForm.schemaHint')}
          error={at('/schema')}
          control={(p) => <textarea {...p} rows={12} class="code" spellcheck={false} value={form.schema} onInput={set('schema')} />}
        />
        <ProblemSummary problem={problem} other={other} fixText={t('eventTypeForm.fix')} />
        <div class="actions">
          <button type="submit" class="button" disabled={busy}>
            {t('eventTypeForm.register')}
          </button>
        </div>
      </form>
    </>
  );
}
