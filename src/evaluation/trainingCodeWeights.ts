/** One training appointment: the doctor's codes (`original`) and the coder's (`linked`). */
export interface TrainingAppointment {
  original: readonly string[];
  linked: readonly string[];
}

/**
 * The weights of {@link weightedF1} (DESIGN §3): for each code, the share of training
 * appointments carrying it in the union of their `original` and `linked` layers (an appointment
 * with the code in both layers counts once).
 *
 * @example trainingCodeWeights([{ original: ['I10'], linked: ['I10'] }, { original: [], linked: ['E11.9'] }])
 * // Map { 'I10' => 0.5, 'E11.9' => 0.5 }
 */
export function trainingCodeWeights(appointments: readonly TrainingAppointment[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of appointments) {
    for (const c of new Set([...a.original, ...a.linked])) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const n = appointments.length;
  const weights = new Map<string, number>();
  for (const [c, k] of counts) weights.set(c, k / n);
  return weights;
}
