/** Past its due date and not done yet (the read model's view of a service-norm breach). */
export function isPastDue(dueAt: Date | string | null | undefined, completedAt?: Date | string | null): boolean {
  return !!dueAt && !completedAt && new Date(dueAt).getTime() < Date.now();
}
