/**
 * Time limits that follow from the law of the data, not from the exchange's
 * configuration. The retention classes of `@liaison/topology` are built from these;
 * the sender's validation refuses what they forbid at publish time.
 */
const MONTH_MS = 30.44 * 24 * 3600 * 1000;

export const LEGAL_LIMITS = {
  /** PNR Directive 2016/681 Art. 12(2): after six months, PNR data is depersonalised by masking. */
  pnrDepersonaliseAfterMs: 6 * MONTH_MS,
  /** Art. 12(4): PNR data is deleted after five years. */
  pnrDeleteAfterMs: 60 * MONTH_MS,
  /** Europol Regulation Art. 31: personal data is reviewed within three years. */
  personalDataReviewMs: 36 * MONTH_MS,
} as const;
