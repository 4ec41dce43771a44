// The `corpusNavigator.*` settings as the client sends them, validated by the scan's own rules (node/settings.ts):
// a bad value is reported and replaced by its default, never allowed to stop indexing. VS Code's `maxFileSize` is
// in megabytes; the scan's is in bytes.

import { validateSettings as validateScanSettings, type ScanSettings } from '../node/settings';
import type { CorpusSettings } from '../protocol';

const MB = 1024 * 1024;

export interface ValidatedSettings {
  settings: CorpusSettings;
  /** One readable sentence per value that was replaced by its default. */
  problems: string[];
}

export function validateSettings(raw: unknown): ValidatedSettings {
  const src = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const { maxFileSize, ...rest } = src;
  const { settings, problems } = validateScanSettings({ ...rest, maxFileSizeMB: maxFileSize });
  return {
    settings: { ...settings, maxFileSize: settings.maxFileSize / MB },
    problems: problems.map((p) => `corpusNavigator.${p.replace(/^maxFileSizeMB\b/, 'maxFileSize')}`),
  };
}

export function toScanSettings(settings: CorpusSettings): ScanSettings {
  return { ...settings, maxFileSize: Math.floor(settings.maxFileSize * MB) };
}
