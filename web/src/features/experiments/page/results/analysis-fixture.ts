/**
 * A real analysis, as `GET …/analyze` returned it for a preassigned experiment on the demo warehouse (600
 * participants, three arms, strata channel, covariate sessions_last_30d, metrics weekly_minutes and
 * completed_course; created with random_state=11). Tests derive other cases from it (a clear effect, a
 * sample-ratio mismatch) by changing numbers, never the shape.
 */
import type { FreqAnalysis } from './analysis-types.ts';

export const DEMO_ANALYSIS: FreqAnalysis = {
  "type": "freq",
  "experiment_id": "exp_kyDcuAmM616HJAW5",
  "metric_analyses": [
    {
      "metric_name": "weekly_minutes",
      "metric": {
        "field_name": "weekly_minutes",
        "metric_type": "numeric"
      },
      "arm_analyses": [
        {
          "arm_id": "arm_d70eQ9UV5yQNnlZo",
          "arm_name": "Control",
          "arm_description": "",
          "is_baseline": true,
          "estimate": 51.647999999999996,
          "p_value": 2.366711501505204e-116,
          "t_stat": 29.055961221953073,
          "std_error": 1.7775354119407907,
          "ci_lower": 48.15701720311579,
          "ci_upper": 55.1389827968842,
          "mean_ci_lower": 48.15701720311579,
          "mean_ci_upper": 55.1389827968842,
          "num_missing_values": 0,
          "mean": 51.647999999999996,
          "mean_std_error": 1.7775354119407907,
          "num_observations": 200,
          "p_value_holm": null,
          "p_value_bh": null,
          "adjusted": {
            "estimate": 51.55894888033664,
            "std_error": 1.4936443948931946,
            "t_stat": 34.51889154916518,
            "p_value": 4.368544304919619e-144,
            "ci_lower": 48.62548249265749,
            "ci_upper": 54.49241526801578,
            "mean": 51.55894888033664,
            "mean_ci_lower": 48.62548249265749,
            "mean_ci_upper": 54.49241526801578,
            "p_value_holm": null,
            "p_value_bh": null
          }
        },
        {
          "arm_id": "arm_cdpqby1Fl7BllrU9",
          "arm_name": "Reminder SMS",
          "arm_description": "",
          "is_baseline": false,
          "estimate": 1.1765000000000043,
          "p_value": 0.6358780150604693,
          "t_stat": 0.4737126497371839,
          "std_error": 2.4835731126300455,
          "ci_lower": -3.7011024110423962,
          "ci_upper": 6.054102411042405,
          "mean_ci_lower": 49.418029041358906,
          "mean_ci_upper": 56.230970958641095,
          "num_missing_values": 0,
          "mean": 52.8245,
          "mean_std_error": 1.7345037518193431,
          "num_observations": 200,
          "p_value_holm": 1,
          "p_value_bh": 0.9204077878447879,
          "adjusted": {
            "estimate": 1.5449348285158209,
            "std_error": 2.0292708673730253,
            "t_stat": 0.7613250913692969,
            "p_value": 0.4467650552824014,
            "ci_lower": -2.440483589206652,
            "ci_upper": 5.530353246238294,
            "mean": 53.10388370885246,
            "mean_ci_lower": 50.40604477432019,
            "mean_ci_upper": 55.80172264338472,
            "p_value_holm": 1,
            "p_value_bh": 0.8935301105648028
          }
        },
        {
          "arm_id": "arm_Huw1bPM1vBGSkkrG",
          "arm_name": "Phone call",
          "arm_description": "",
          "is_baseline": false,
          "estimate": -1.516999999999996,
          "p_value": 0.5404432073127435,
          "t_stat": -0.6124954839867116,
          "std_error": 2.4767529551824548,
          "ci_lower": -6.381207993040009,
          "ci_upper": 3.3472079930400174,
          "mean_ci_lower": 46.74373583678319,
          "mean_ci_upper": 53.51826416321681,
          "num_missing_values": 0,
          "mean": 50.131,
          "mean_std_error": 1.724724053378252,
          "num_observations": 200,
          "p_value_holm": 1,
          "p_value_bh": 0.9204077878447879,
          "adjusted": {
            "estimate": -1.6083864911409407,
            "std_error": 2.0690280113522292,
            "t_stat": -0.7773633234137644,
            "p_value": 0.43725392317102874,
            "ci_lower": -5.671886576716795,
            "ci_upper": 2.4551135944349136,
            "mean": 49.950562389195696,
            "mean_ci_lower": 47.13865771481009,
            "mean_ci_upper": 52.762467063581305,
            "p_value_holm": 1,
            "p_value_bh": 0.8935301105648028
          }
        }
      ],
      "covariance": "HC1",
      "inference": "t",
      "df": 597,
      "alpha": 0.05,
      "num_observations": 600,
      "num_clusters": null,
      "adjustment": {
        "columns": [
          "sessions_last_30d"
        ],
        "num_observations": 600,
        "df": 594,
        "error": null
      },
      "error": null
    },
    {
      "metric_name": "completed_course",
      "metric": {
        "field_name": "completed_course",
        "metric_pct_change": 0.1,
        "metric_type": "binary"
      },
      "arm_analyses": [
        {
          "arm_id": "arm_d70eQ9UV5yQNnlZo",
          "arm_name": "Control",
          "arm_description": "",
          "is_baseline": true,
          "estimate": 0.46499999999999975,
          "p_value": 7.123812437765435e-35,
          "t_stat": 13.151525266007352,
          "std_error": 0.03535711566489415,
          "ci_lower": 0.39556054934015433,
          "ci_upper": 0.5344394506598451,
          "mean_ci_lower": 0.39556054934015433,
          "mean_ci_upper": 0.5344394506598451,
          "num_missing_values": 0,
          "mean": 0.46499999999999975,
          "mean_std_error": 0.03535711566489415,
          "num_observations": 200,
          "p_value_holm": null,
          "p_value_bh": null,
          "adjusted": {
            "estimate": 0.4645275880541045,
            "std_error": 0.03507271881566098,
            "t_stat": 13.244698550335356,
            "p_value": 2.865181876977822e-35,
            "ci_lower": 0.39564597063430335,
            "ci_upper": 0.5334092054739057,
            "mean": 0.4645275880541045,
            "mean_ci_lower": 0.39564597063430335,
            "mean_ci_upper": 0.5334092054739057,
            "p_value_holm": null,
            "p_value_bh": null
          }
        },
        {
          "arm_id": "arm_cdpqby1Fl7BllrU9",
          "arm_name": "Reminder SMS",
          "arm_description": "",
          "is_baseline": false,
          "estimate": 0.0050000000000001155,
          "p_value": 0.9204077878447879,
          "t_stat": 0.09996233285069689,
          "std_error": 0.05001884067139654,
          "ci_lower": -0.09323428052737635,
          "ci_upper": 0.10323428052737658,
          "mean_ci_lower": 0.40051520624776804,
          "mean_ci_upper": 0.5394847937522317,
          "num_missing_values": 0,
          "mean": 0.46999999999999986,
          "mean_std_error": 0.03538020341900043,
          "num_observations": 200,
          "p_value_holm": 1,
          "p_value_bh": 0.9204077878447879,
          "adjusted": {
            "estimate": 0.00689164419868149,
            "std_error": 0.04960139671317854,
            "t_stat": 0.13894052698823411,
            "p_value": 0.8895442370486489,
            "ci_lower": -0.09052379855163434,
            "ci_upper": 0.10430708694899732,
            "mean": 0.471419232252786,
            "mean_ci_lower": 0.4025346093832935,
            "mean_ci_upper": 0.5403038551222784,
            "p_value_holm": 1,
            "p_value_bh": 0.935216715425164
          }
        },
        {
          "arm_id": "arm_Huw1bPM1vBGSkkrG",
          "arm_name": "Phone call",
          "arm_description": "",
          "is_baseline": false,
          "estimate": 0.0050000000000002265,
          "p_value": 0.9204077878447862,
          "t_stat": 0.09996233285069912,
          "std_error": 0.05001884067139653,
          "ci_lower": -0.09323428052737623,
          "ci_upper": 0.10323428052737668,
          "mean_ci_lower": 0.4005152062477682,
          "mean_ci_upper": 0.5394847937522318,
          "num_missing_values": 0,
          "mean": 0.47,
          "mean_std_error": 0.03538020341900042,
          "num_observations": 200,
          "p_value_holm": 1,
          "p_value_bh": 0.9204077878447879,
          "adjusted": {
            "estimate": 0.004005960683037324,
            "std_error": 0.049263103820614496,
            "t_stat": 0.08131766722666389,
            "p_value": 0.935216715425164,
            "ci_lower": -0.09274508642336197,
            "ci_upper": 0.10075700778943662,
            "mean": 0.4685335487371418,
            "mean_ci_lower": 0.40059175086707627,
            "mean_ci_upper": 0.5364753466072073,
            "p_value_holm": 1,
            "p_value_bh": 0.935216715425164
          }
        }
      ],
      "covariance": "HC1",
      "inference": "t",
      "df": 597,
      "alpha": 0.05,
      "num_observations": 600,
      "num_clusters": null,
      "adjustment": {
        "columns": [
          "sessions_last_30d"
        ],
        "num_observations": 600,
        "df": 594,
        "error": null
      },
      "error": null
    }
  ],
  "num_participants": 600,
  "num_missing_participants": 0,
  "created_at": "2026-11-25T00:53:43.723Z",
  "baseline_arm_id": "arm_d70eQ9UV5yQNnlZo",
  "alpha": 0.05,
  "inference": "t",
  "adjustment": {
    "source": "covariates",
    "fields": [
      "sessions_last_30d"
    ],
    "columns": [
      "sessions_last_30d"
    ],
    "dropped": [],
    "error": null
  },
  "multiple_testing": {
    "family": "every non-baseline arm of every metric",
    "num_tests": 4,
    "num_adjusted_tests": 4
  },
  "sample_ratio_mismatch": {
    "unit": "participants",
    "observed": [
      200,
      200,
      200
    ],
    "expected": [
      200,
      200,
      200
    ],
    "chi_square": 0,
    "df": 2,
    "p_value": 1,
    "mismatch": false
  },
  "balance_check": {
    "f_statistic": 0.02700906816583419,
    "numerator_df": 6,
    "denominator_df": 596,
    "p_value": 0.9999157633750229,
    "balance_ok": true,
    "imbalance": false,
    "fields": [
      "sessions_last_30d",
      "channel"
    ],
    "columns": [
      "sessions_last_30d",
      "channel=sms",
      "channel=whatsapp"
    ],
    "num_participants": 600
  },
  "warnings": [],
  "notes": [
    "Participants absent from the warehouse table, and NULL metric values, count in num_missing_values and are left out of that metric's estimate.",
    "p-values and intervals use the t distribution with df (participants with a value − arms, or clusters − 1); ?inference=z gives the reference's normal ones."
  ]
};
