import { durationToMs } from '@levensloop/domain';

// xsd:duration is ISO 8601's PnYnMnDTnHnMnS with a fraction on seconds only: no weeks, no commas.
const XSD_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

/**
 * A service norm as xsd:duration (cv:processingTime). Most norms already are one (P5D, PT4H);
 * the others (P2W, P1,5D) are written out in days, hours, minutes and seconds as the engine
 * counts them (a week 7 days, a year 365, a month 30).
 */
export function toXsdDuration(norm: string): string {
  if (XSD_DURATION.test(norm)) return norm;
  let seconds = durationToMs(norm) / 1000;
  const days = Math.floor(seconds / 86_400);
  seconds -= days * 86_400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds = Math.round((seconds - minutes * 60) * 1000) / 1000;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}
