import { useState } from 'preact/hooks';
import { ApiError, post, useResource } from '../api';
import { ErrorMessage, Field, FormProblem, LiveNote, Loading, useSubmit, type ControlProps } from '../components';
import { Group } from './catalog';
import { language, LANGUAGES, t, tr, type Translations } from '../i18n';

/** A slot of the agency's calendar (GET /tasks/{id}/slots). */
interface Slot {
  start: string;
  end: string;
}

interface SlotsView {
  place: Translations;
  duration: string;
  period: { from: string; to: string };
  booking?: Slot & { uid: string; sequence: number };
  slots: Slot[];
}

/** Appointments are told in Brussels time, whatever the browser's zone. */
const ZONE = 'Europe/Brussels';
const locale = () => `${language()}-BE`;
const dayOf = (iso: string) => new Intl.DateTimeFormat(locale(), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: ZONE }).format(new Date(iso));
const timeOf = (iso: string) => new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: ZONE }).format(new Date(iso));
/** "maandag 2 maart 2026, 09:00–10:00". */
export const appointmentText = (slot: Slot) => `${dayOf(slot.start)}, ${timeOf(slot.start)}–${timeOf(slot.end)}`;

/** Free slots grouped by day (in Brussels time), days and slots in order. */
export function slotsByDay(slots: Slot[]): Array<{ day: string; slots: Slot[] }> {
  const days = new Map<string, Slot[]>();
  for (const slot of [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
    const day = dayOf(slot.start);
    days.set(day, [...(days.get(day) ?? []), slot]);
  }
  return [...days].map(([day, list]) => ({ day, slots: list }));
}

/**
 * The citizen's "choose a time" task: the booking held (move or cancel it), and the free slots
 * grouped by day as radio buttons (one group per day, arrow keys within it).
 */
export function AppointmentPicker({ taskId, onChanged }: { taskId: string; onChanged: () => void }) {
  const slots = useResource<SlotsView>(`/tasks/${encodeURIComponent(taskId)}/slots`);
  const [chosen, setChosen] = useState('');
  const [note, setNote] = useState('');
  const [booking, setBooking] = useState<Slot | null | undefined>(undefined);
  const held = booking === undefined ? slots.data?.booking : (booking ?? undefined);
  const { busy, problem, setProblem, submit } = useSubmit(async (action: 'book' | 'move' | 'cancel') => {
    const slot = slots.data?.slots.find((s) => s.start === chosen);
    if (action !== 'cancel' && !slot) {
      setProblem(new ApiError(400, { title: t('appointment.chooseFirst'), status: 400, detail: t('appointment.chooseFirst') }));
      return;
    }
    const path = `/tasks/${encodeURIComponent(taskId)}/appointment${action === 'book' ? '' : `/${action}`}`;
    const answer = await post<{ booking?: Slot }>(path, action === 'cancel' ? {} : { slot });
    setBooking(answer.booking ?? null);
    setChosen('');
    setNote(answer.booking ? t(action === 'move' ? 'appointment.moved' : 'appointment.booked', { when: appointmentText(answer.booking) }) : t('appointment.cancelled'));
    slots.reload();
    onChanged();
  });

  if (!slots.data) return slots.error ? <ErrorMessage error={slots.error} /> : <Loading />;
  const days = slotsByDay(slots.data.slots.filter((s) => !held || s.start !== held.start));
  return (
    <section aria-labelledby="appointment-title" class="appointment">
      <h2 id="appointment-title">{held ? t('appointment.yours') : t('appointment.choose')}</h2>
      <p>{t('appointment.place', { place: tr(slots.data.place) })}</p>
      {note ? <LiveNote text={note} /> : null}
      {held ? (
        <div class="booking" data-booking={held.start}>
          <p>
            <strong>{appointmentText(held)}</strong>
          </p>
          <button type="button" class="button secondary" disabled={busy} onClick={() => void submit('cancel')}>
            {t('appointment.cancel')}
          </button>
        </div>
      ) : null}
      <form
        class="form"
        noValidate
        aria-labelledby="slots-title"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(held ? 'move' : 'book');
        }}
      >
        <h3 id="slots-title">{held ? t('appointment.moveTo') : t('appointment.free')}</h3>
        {days.length === 0 ? <p>{t('appointment.none')}</p> : null}
        {days.map(({ day, slots: list }, d) => (
          <fieldset key={day} class="slot-day">
            <legend>{day}</legend>
            <div class="slot-list">
              {list.map((s, i) => (
                <div class="choice" key={s.start}>
                  <input type="radio" id={`slot-${d}-${i}`} name="slot" value={s.start} checked={chosen === s.start} onChange={() => setChosen(s.start)} />
                  <label for={`slot-${d}-${i}`}>
                    {timeOf(s.start)}–{timeOf(s.end)}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        ))}
        <FormProblem problem={problem} />
        {days.length ? (
          <button type="submit" class="button" disabled={busy}>
            {held ? t('appointment.move') : t('appointment.book')}
          </button>
        ) : null}
      </form>
    </section>
  );
}

/** The appointment part of the catalog's step form. */
export interface AppointmentForm {
  calendar: string;
  duration: string;
  place: Record<string, string>;
  bookWithin: string;
  reminderBefore: string;
}

export const emptyAppointment = (): AppointmentForm => ({ calendar: '', duration: 'PT30M', place: {}, bookWithin: 'P14D', reminderBefore: 'P1D' });

export const appointmentForm = (a: { calendar: string; duration: string; place: Translations; bookWithin: string; reminderBefore: string } | undefined): AppointmentForm =>
  a ? { calendar: a.calendar, duration: a.duration, place: { ...a.place } as Record<string, string>, bookWithin: a.bookWithin, reminderBefore: a.reminderBefore } : emptyAppointment();

export const appointmentBody = (f: AppointmentForm) => ({
  calendar: f.calendar.trim(),
  duration: f.duration.trim(),
  place: Object.fromEntries(Object.entries(f.place).filter(([, v]) => v.trim()).map(([k, v]) => [k, v.trim()])),
  bookWithin: f.bookWithin.trim(),
  reminderBefore: f.reminderBefore.trim(),
});

/** Where the step form shows the problems of its appointment. */
export const APPOINTMENT_POINTERS = ['/appointment', '/appointment/calendar', '/appointment/duration', '/appointment/place', '/appointment/bookWithin', '/appointment/reminderBefore', ...LANGUAGES.map((l) => `/appointment/place/${l}`)];

export function AppointmentFields({ value, onChange, at }: { value: AppointmentForm; onChange: (v: AppointmentForm) => void; at: (pointer: string) => string | undefined }) {
  const input = (v: string, set: (v: string) => void) => (props: ControlProps) => <input {...props} value={v} onInput={(e) => set((e.target as HTMLInputElement).value)} />;
  const field = (id: string, key: 'calendar' | 'duration' | 'bookWithin' | 'reminderBefore', hint?: string) => (
    <Field id={`appointment-${id}`} label={t(`catalog.appointment.${key}`)} hint={hint} error={at(`/appointment/${key}`)} control={input(value[key], (v) => onChange({ ...value, [key]: v }))} />
  );
  return (
    <Group id="step-appointment" legend={t('catalog.appointment')} hint={t('catalog.appointmentHint')} error={at('/appointment')}>
      {field('calendar', 'calendar', t('catalog.appointment.calendarHint'))}
      {field('duration', 'duration', t('catalog.appointment.durationHint'))}
      <Group id="appointment-place" legend={t('catalog.appointment.place')} hint={t('catalog.appointment.placeHint')} error={at('/appointment/place')}>
        {LANGUAGES.map((l) => (
          <Field key={l} id={`appointment-place-${l}`} label={t(`language.${l}`)} error={at(`/appointment/place/${l}`)} control={input(value.place[l] ?? '', (v) => onChange({ ...value, place: { ...value.place, [l]: v } }))} />
        ))}
      </Group>
      {field('within', 'bookWithin', t('catalog.appointment.bookWithinHint'))}
      {field('reminder', 'reminderBefore', t('catalog.appointment.reminderBeforeHint'))}
    </Group>
  );
}
