import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createAppContexts, type AppContexts } from '../app/app-context.ts';
import { createCalendarBook, type CalendarBook } from '../app/calendar-book.ts';
import { createCatalogCache, type CatalogCache } from '../app/catalog-cache.ts';
import { createDirectoryCache, type DirectoryCache } from '../app/directory.ts';
import type { Logger } from '../app/ports.ts';
import { loadHolidaySchedules } from '../calendar/holiday-data.ts';
import { shanghaiDate, yearOf } from '../calendar/local-date.ts';
import { readCatalogFile } from '../catalog/catalog-file.ts';
import type { Config } from '../config/config.ts';
import { loadContent } from '../content/load-content.ts';
import { actionRegistry } from '../conversation/actions/action-registry.ts';
import { createConversationEngine, type ConversationEngine } from '../conversation/engine.ts';
import { validateFlows } from '../conversation/flow-validation.ts';
import type { TemplateSet } from '../conversation/templates.ts';
import { seedCatalogIfEmpty } from '../db/catalog-repository.ts';
import type { Database } from '../db/open-database.ts';

/**
 * The application's parts over an open database, with no Redis and no queue: the conversation content
 * (validated), the catalogue (seeded on first start), the calendars, the caches, the engine and the
 * per-turn app context. The core composition builds on it; so does the tests' use-case harness.
 */

export interface AppParts {
  templates: TemplateSet;
  directories: DirectoryCache;
  catalogs: CatalogCache;
  calendars: CalendarBook;
  engine: ConversationEngine;
  contexts: AppContexts;
}

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export const contentDirs = {
  flowsDir: `${projectRoot}flows`,
  templatesDir: `${projectRoot}templates/zh-CN`,
};

export type Content = ReturnType<typeof loadContent>;

/** The flows, intents and templates from flows/ and templates/, checked against each other and the actions. */
export function loadValidatedContent(): Content {
  const content = loadContent(contentDirs);
  const problems = validateFlows({ flows: content.flows, intents: content.intents, actions: actionRegistry, templates: content.templates });
  if (problems.length) throw new Error(`conversation flows do not validate:\n  ${problems.join('\n  ')}`);
  return content;
}

export function composeAppParts(database: Database, config: Config, logger: Logger, clock: () => number, content: Content = loadValidatedContent()): AppParts {
  const templates = content.templates;

  const catalogFile = readCatalogFile(config.catalogPath);
  if (seedCatalogIfEmpty(database, catalogFile, clock())) logger.info({ items: catalogFile.items.length }, 'catalogue loaded from the data file');

  const schedules = loadHolidaySchedules(config.calendarDir);
  const thisYear = yearOf(shanghaiDate(clock()));
  for (const year of [thisYear, thisYear + 1]) {
    const s = schedules.find((y) => y.year === year);
    if (!s) logger.warn({ year }, `calendar: no holiday data for ${year}; deadlines in ${year} will be marked provisional`);
    else if (s.status !== 'official') logger.warn({ year, source: s.source }, `calendar: ${year} is provisional (make-up workdays unknown)`);
  }
  const calendars = createCalendarBook(database, schedules, logger);
  const directories = createDirectoryCache(database);
  const catalogs = createCatalogCache(database);
  catalogs.current();

  // Option labels have no variables (flow validation checks it): render each once.
  const labels = new Map<string, string>();
  const engine = createConversationEngine({
    flows: content.flows,
    intents: content.intents,
    actions: actionRegistry,
    labelText: (key) => labels.get(key) ?? labels.set(key, templates.render(key, {})).get(key) ?? '',
    resumeAfterMs: config.conversationResumeHours * 3_600_000,
    maxTextLength: 2000,
  });

  // One context per turn: every use case (chat, commands, forms, deadline jobs, digests) reads it.
  const contexts = createAppContexts({
    database,
    directories,
    catalogs,
    calendars,
    templates,
    engine,
    deadlines: config.deadlines,
    alertPolicy: config.alerts,
    clock,
    newPersonId: () => `r-${randomUUID().slice(0, 12)}`,
    botName: config.botName,
  });
  return { templates, directories, catalogs, calendars, engine, contexts };
}
