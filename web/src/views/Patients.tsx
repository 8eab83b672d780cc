import { useState } from 'preact/hooks';
import { graphql, useQuery } from '../api.js';
import type { ResultOf } from '../api.js';
import { CohortGate } from '../CohortGate.js';
import { useCohort } from '../cohorts.js';
import { href, replaceParams } from '../router.js';
import type { Route } from '../router.js';
import { Empty, Query, Select } from '../ui.js';

const FirstPatients = graphql(`query FirstPatients($cohort: String!) { documents(corpus: $cohort, first: 200) { nodes { patient } } }`);
const PatientQuery = graphql(`
  query PatientView($cohort: String!, $patientId: String!) {
    patient(cohort: $cohort, patientId: $patientId) {
      patientId appointmentCount
      appointments {
        documentId date text
        fields { name value }
        original: layer(name: "original") { codes }
        linked: layer(name: "linked") { codes }
        manual: layer(name: "manual") { codes }
      }
    }
  }
`);
const Predict = graphql(`
  query PredictNext($model: String!, $history: PatientHistoryInput!) {
    predictDiagnoses(model: $model, history: $history, first: 5) { code probability concept { title } }
  }
`);
type Appointment = NonNullable<ResultOf<typeof PatientQuery>['patient']>['appointments'][number];

function Codes({ codes, other, label }: { codes: readonly string[]; other: readonly string[]; label: string }) {
  if (codes.length === 0) return <span class="muted">none</span>;
  return (
    <span aria-label={label}>
      {codes.map((c) => (
        <a key={c} href={href(['codes', c])} class={`chip${other.includes(c) ? '' : ' only'}`} title={other.includes(c) ? 'in both layers' : 'in this layer only'}>
          {c}
        </a>
      ))}
    </span>
  );
}

/** The model's ranking for a visit, given the visits before it and its complaints. */
function Prediction({ model, appointments, index }: { model: string; appointments: Appointment[]; index: number }) {
  const visit = appointments[index]!;
  const complaints = visit.fields.find((f) => f.name === 'complaints')?.value ?? '';
  const earlier = appointments.slice(0, index).map((a) => ({ date: a.date, codes: [...(model.endsWith('-original') ? a.original.codes : a.linked.codes)], conclusion: a.text, complaints: a.fields.find((f) => f.name === 'complaints')?.value ?? '' }));
  const q = useQuery(Predict, { model, history: { complaints, earlier } }, `${model}|${visit.documentId}`);
  return (
    <div>
      <h3>{model}</h3>
      <Query state={q} what={`the predictions of ${model}`}>
        {(d) => (
          <table aria-label={`Predictions of ${model}`} data-testid={`predictions-${model}`}>
            <thead><tr><th>code</th><th>title</th><th class="num">probability</th></tr></thead>
            <tbody>
              {d.predictDiagnoses.map((p) => (
                <tr key={p.code}><td><a href={href(['codes', p.code])} class="code">{p.code}</a></td><td>{p.concept?.title}</td><td class="num">{(p.probability * 100).toFixed(1)} %</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </Query>
    </div>
  );
}

/** The patient view: `#/patients?cohort=&patient=`. */
export default function Patients({ route }: { route: Route }) {
  const p = route.params;
  const gate = useCohort(p.get('cohort'), ['original']);
  const cohort = gate.cohort;
  const first = useQuery(FirstPatients, { cohort: cohort?.name ?? '' }, cohort ? cohort.name : null);
  const ids = [...new Set((first?.data?.documents.nodes ?? []).map((d) => d.patient).filter((x): x is string => !!x))];
  const patientId = p.get('patient') ?? ids[0];
  const patient = useQuery(PatientQuery, { cohort: cohort?.name ?? '', patientId: patientId ?? '' }, cohort && patientId ? `${cohort.name}|${patientId}` : null);
  const [visit, setVisit] = useState<number | null>(null);
  return (
    <div>
      <h1>Patient</h1>
      <CohortGate gate={gate} view="patients" id="pt-cohort">
        {(cohort, picker) => (
          <>
              <div class="controls">
                {picker}
                <Select id="pt-patient" label="Patient" value={patientId ?? ''} options={(patientId && !ids.includes(patientId) ? [patientId, ...ids] : ids).map((v) => ({ value: v }))} onChange={(v) => { setVisit(null); replaceParams(['patients'], { cohort: cohort.name, patient: v }); }} />
              </div>
              <Query state={patient} what={`patient ${patientId}`}>
                {(d) => {
                  const pt = d.patient;
                  if (!pt) return <Empty>The cohort has no patient {patientId}.</Empty>;
                  const at = visit ?? pt.appointments.length - 1;
                  return (
                    <div class="cols" style="grid-template-columns: 3fr 2fr">
                      <section aria-label="Appointments" class="timeline" data-testid="timeline">
                        <p class="muted">{pt.appointmentCount} appointments. Orange codes are in one layer only.</p>
                        {pt.appointments.map((a, i) => (
                          <div class="visit" key={a.documentId}>
                            <strong>{a.date ?? 'no date'}</strong> <span class="muted">{a.documentId}</span>{' '}
                            <button onClick={() => setVisit(i)} aria-pressed={i === at}>predict this visit</button>
                            <div data-corpus-text>{a.text}</div>
                            <div>doctor (original): <Codes label="original codes" codes={a.original.codes} other={a.linked.codes} /></div>
                            <div>linked: <Codes label="linked codes" codes={a.linked.codes} other={a.original.codes} /></div>
                            {a.manual.codes.length > 0 && <div>true (manual): <Codes label="manual codes" codes={a.manual.codes} other={a.manual.codes} /></div>}
                          </div>
                        ))}
                      </section>
                      <section aria-label="Predicted diagnoses" class="panel">
                        <h2>Predicted diagnoses for visit {at + 1} ({pt.appointments[at]?.date})</h2>
                        <p class="muted">From the visits before it and the visit's complaints; the codes actually entered are in the timeline.</p>
                        {pt.appointments.length === 0 ? <Empty>No appointment.</Empty> : ['linked', 'original'].map((layer) => (
                          <Prediction key={layer} model={`dp-${cohort.name}-${layer}`} appointments={pt.appointments} index={at} />
                        ))}
                      </section>
                    </div>
                  );
                }}
              </Query>
          </>
        )}
      </CohortGate>
    </div>
  );
}
