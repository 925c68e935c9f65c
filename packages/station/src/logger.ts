import { createLogger, type Logger } from '@liaison/core';

/** The station's logger (JSON lines, secrets and personal data redacted by @liaison/core). */
export const stationLogger: Logger = createLogger('station');
