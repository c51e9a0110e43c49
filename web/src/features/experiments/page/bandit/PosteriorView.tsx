/**
 * The arms as they stand now: the summary in words, each arm's expected reward with its credible interval
 * (the leading arm highlighted), and the numbers behind it — draws, outcomes, observed mean, the chance of
 * being best and of getting the next participant, and the prior and posterior written out.
 */
import { IntervalPlot, type IntervalRow } from '../../../../ui/charts/IntervalPlot.tsx';
import { Badge } from '../../../../ui/Callout.tsx';
import type { StoredBanditDesign } from '../../api-types.ts';
import type { BanditHistory } from './bandit-types.ts';
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

export function PosteriorView({ history, design }: { history: BanditHistory; design: StoredBanditDesign }) {
  const format = rewardFormatter(history.reward_type);
  const noun = rewardNoun(history.reward_type);
  const learned = history.arms.some((a) => a.n_outcomes > 0);
  const leader = learned ? leadingArm(history.arms) : null;
  const level = `${Math.round(history.credible_level * 100)}%`;
  const at = contextWords(design, history.contexts);
  const rows: IntervalRow[] = history.arms.map((a) => ({
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
        {summarySentences(history).map((s) => (
          <p key={s}>{s}</p>
        ))}
      </div>
      <IntervalPlot
        title={`Expected ${noun} by arm${learned ? '' : ' (the priors: no outcomes yet)'}`}
        caption={
          <>
            {credibleIntervalWords(history)}
            {leader && ` The leading arm, ${leader.arm_name}, is drawn in green.`}
            {at && ` Evaluated for the average participant so far (${at}).`}
          </>
        }
        rows={rows}
        format={format}
        columns={{ estimate: `Expected ${noun}`, interval: `${level} credible interval` }}
      />
      <div className="table-wrap">
        <table className="table bandit-page-arms">
          <caption>The arms now</caption>
          <thead>
            <tr>
              <th scope="col">Arm</th>
              <th scope="col" className="num">
                Participants
              </th>
              <th scope="col" className="num">
                Outcomes
              </th>
              <th scope="col" className="num">
                Observed mean
              </th>
              <th scope="col" className="num">
                Expected {noun}
              </th>
              <th scope="col" className="num">
                {level} credible interval
              </th>
              <th scope="col" className="num">
                Chance best
              </th>
              <th scope="col" className="num">
                Next participant
              </th>
            </tr>
          </thead>
          <tbody>
            {history.arms.map((a) => (
              <tr key={a.arm_id}>
                <th scope="row">
                  {a.arm_name}
                  {a.arm_id === leader?.arm_id && (
                    <>
                      {' '}
                      <Badge tone="success">leading</Badge>
                    </>
                  )}
                  <Params text={priorToPosterior(a, history.prior_type)} />
                </th>
                <td className="num">{fmtCount(a.n_draws)}</td>
                <td className="num">{fmtCount(a.n_outcomes)}</td>
                <td className="num">{a.mean_reward === null ? '—' : format(a.mean_reward)}</td>
                <td className="num">{a.posterior.mean === null ? '—' : format(a.posterior.mean)}</td>
                <td className="num nowrap">{interval(a.posterior.ci_lower, a.posterior.ci_upper)}</td>
                <td className="num">{chance(a.prob_best)}</td>
                <td className="num">{chance(a.selection_probability)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="field-hint">
        Under each arm’s name: its starting belief (prior) → its current belief (posterior). <strong>Observed mean</strong> is the plain average of the outcomes reported so far. <strong>Expected {noun}</strong> combines them with the starting belief (the prior);
        it is what the bandit believes now. <strong>Chance best</strong> is how likely each arm is to have the highest {noun}; <strong>next participant</strong> is the chance
        a new participant is sent to the arm{history.arms.length >= 5 ? ' (with five or more arms the bandit also tries the runner-up, so the two differ)' : ', which for a bandit like this one is the same'}.
      </p>
    </div>
  );
}
