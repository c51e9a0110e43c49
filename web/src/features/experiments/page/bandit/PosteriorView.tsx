/**
 * The arms as they stand now, or as a snapshot stored them: the summary in words, each arm's expected reward
 * with its credible interval (the leading arm highlighted), and the numbers behind it — draws, outcomes,
 * observed mean, the chance of being best and of getting the next participant, and the prior and posterior
 * written out. A snapshot has no observed means or chances (`snapshot-arms.ts`), so those columns go.
 */
import { IntervalPlot, type IntervalRow } from '../../../../ui/charts/IntervalPlot.tsx';
import { Badge } from '../../../../ui/Callout.tsx';
import type { StoredBanditDesign } from '../../api-types.ts';
import { snapshotTime } from '../snapshot-words.ts';
import type { ArmsView } from './bandit-types.ts';
import { chance, contextWords, credibleIntervalWords, leadingArm, priorToPosterior, rewardFormatter, rewardNoun, summarySentences } from './posterior-words.ts';

const fmtCount = (n: number) => n.toLocaleString('en-US');

/** "Beta(1, 1) → Beta(9, 3)", wrapping between the two distributions rather than inside one. */
function Params({ text }: { text: string }) {
  const [prior, posterior] = text.split(' → ');
  const part = (t: string) => (t.length <= 24 ? <span className="nowrap">{t}</span> : t);
  return (
    <span className="bandit-page-params">
      {posterior === undefined ? (
        text
      ) : (
        <>
          {part(prior ?? '')} → {part(posterior)}
        </>
      )}
    </span>
  );
}

export function PosteriorView({ view, design }: { view: ArmsView; design: StoredBanditDesign }) {
  const format = rewardFormatter(view.reward_type);
  const noun = rewardNoun(view.reward_type);
  const learned = view.arms.some((a) => a.n_outcomes > 0);
  const leader = learned ? leadingArm(view.arms) : null;
  const level = `${Math.round(view.credible_level * 100)}%`;
  const at = contextWords(design, view.contexts);
  const then = view.as_of !== undefined;
  const has = {
    observed: view.arms.some((a) => a.mean_reward !== undefined),
    best: view.arms.some((a) => a.prob_best !== undefined),
    next: view.arms.some((a) => a.selection_probability !== undefined),
  };
  const rows: IntervalRow[] = view.arms.map((a) => ({
    key: a.arm_id,
    label: a.arm_name,
    estimate: a.posterior.mean,
    lower: a.posterior.ci_lower,
    upper: a.posterior.ci_upper,
    tone: a.arm_id === leader?.arm_id ? 'better' : 'neutral',
  }));
  const interval = (lo: number | null, hi: number | null) => (lo === null || hi === null ? '—' : `${format(lo)} to ${format(hi)}`);

  return (
    <div className="stack">
      <div className="bandit-page-summary">
        {summarySentences(view).map((s) => (
          <p key={s}>{s}</p>
        ))}
      </div>
      <IntervalPlot
        title={`Expected ${noun} by arm${learned ? '' : ' (the priors: no outcomes yet)'}`}
        caption={
          <>
            {credibleIntervalWords(view)}
            {leader && ` The leading arm, ${leader.arm_name}, is drawn in green.`}
            {at && ` Evaluated for the average participant ${then ? 'until then' : 'so far'} (${at}).`}
          </>
        }
        rows={rows}
        format={format}
        columns={{ estimate: `Expected ${noun}`, interval: `${level} credible interval` }}
      />
      <div className="table-wrap">
        <table className="table bandit-page-arms">
          <caption>{view.as_of === undefined ? 'The arms now' : `The arms as of ${snapshotTime(view.as_of)}`}</caption>
          <thead>
            <tr>
              <th scope="col">Arm</th>
              <th scope="col" className="num">
                Participants
              </th>
              <th scope="col" className="num">
                Outcomes
              </th>
              {has.observed && (
                <th scope="col" className="num">
                  Observed mean
                </th>
              )}
              <th scope="col" className="num">
                Expected {noun}
              </th>
              <th scope="col" className="num">
                {level} credible interval
              </th>
              {has.best && (
                <th scope="col" className="num">
                  Chance best
                </th>
              )}
              {has.next && (
                <th scope="col" className="num">
                  Next participant
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {view.arms.map((a) => (
              <tr key={a.arm_id}>
                <th scope="row">
                  {a.arm_name}
                  {a.arm_id === leader?.arm_id && (
                    <>
                      {' '}
                      <Badge tone="success">leading</Badge>
                    </>
                  )}
                  <Params text={priorToPosterior(a, view.prior_type)} />
                </th>
                <td className="num">{fmtCount(a.n_draws)}</td>
                <td className="num">{fmtCount(a.n_outcomes)}</td>
                {has.observed && <td className="num">{a.mean_reward === null || a.mean_reward === undefined ? '—' : format(a.mean_reward)}</td>}
                <td className="num">{a.posterior.mean === null ? '—' : format(a.posterior.mean)}</td>
                <td className="num nowrap">{interval(a.posterior.ci_lower, a.posterior.ci_upper)}</td>
                {has.best && <td className="num">{chance(a.prob_best ?? null)}</td>}
                {has.next && <td className="num">{chance(a.selection_probability ?? null)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {then ? (
        <p className="field-hint">
          Under each arm’s name: its starting belief (prior) → its belief then (posterior). <strong>Expected {noun}</strong> combines the outcomes reported until then with
          the starting belief. A snapshot keeps the beliefs only: the observed means, the chance each arm is best and where traffic went are shown with the live numbers.
        </p>
      ) : (
        <p className="field-hint">
          Under each arm’s name: its starting belief (prior) → its current belief (posterior). <strong>Observed mean</strong> is the plain average of the outcomes reported so far. <strong>Expected {noun}</strong> combines them with the starting belief (the prior);
          it is what the bandit believes now. <strong>Chance best</strong> is how likely each arm is to have the highest {noun}; <strong>next participant</strong> is the chance
          a new participant is sent to the arm{view.arms.length >= 5 ? ' (with five or more arms the bandit also tries the runner-up, so the two differ)' : ', which for a bandit like this one is the same'}.
        </p>
      )}
    </div>
  );
}
