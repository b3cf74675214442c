import { HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';

import { ChatActor } from '../auth/chat-actor';
import { type SupportChatConfig, SUPPORT_CHAT_CONFIG } from '../config/support-chat.config';
import { BusinessHours, BusinessMinutesTable } from '../domain/business-hours';
import { ChatError, ChatErrorCode } from '../errors/chat-error';
import { STAFF_PRESENCE, StaffPresence } from '../handoff/staff-presence';
import { BacklogRow, ReportConversationRow, ReportRepository } from '../persistence/repositories';
import { BusinessHoursService } from '../service-hours/business-hours.service';
import { UserLookup } from '../users/user-lookup';
import { csvRow } from '../domain/csv';
import {
  CsatFiguresDto,
  DurationFiguresDto,
  LiveAgentsDto,
  ReportGroup,
  ReportRangeQueryDto,
  ReportRowDto,
  ReportSummaryDto,
  ReportSummaryQueryDto,
  ReportVolumeDto,
} from './dto/report.dto';
import { daysBetween, isValidLocalDate, LocalDayIndex, nextDay, percentile, RESPONSE_BUCKETS, responseBucket, round1, startOfLocalDay } from './report-figures';

/** Longest range of one report (days). */
export const REPORT_MAX_DAYS = 366;
/** Staff listed by the live panel at most. */
const LIVE_AGENTS_LIMIT = 200;
const MINUTE = 60_000;
const UNASSIGNED = 'sin_asignar';
const UNLABELED = 'sin_etiqueta';

interface Range {
  from: string;
  to: string;
  start: Date;
  end: Date;
  hours: BusinessHours;
}

/**
 * Reports for supervisors and `SUPPORT_CHAT_REPORT_ROLES`: every figure comes from the values kept on
 * each conversation row when it is written (first response, resolution, latest rating, last message seq,
 * waiting since), fetched for the range; medians and p90 are computed here, never by scanning messages.
 */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(SUPPORT_CHAT_CONFIG) private readonly config: SupportChatConfig,
    private readonly reports: ReportRepository,
    private readonly businessHours: BusinessHoursService,
    private readonly users: UserLookup,
    @Optional() @Inject(STAFF_PRESENCE) private readonly presence: StaffPresence | null = null,
  ) {}

  assertCanRead(actor: ChatActor): void {
    if (actor.supervisor === true || (actor.kind === 'staff' && this.config.reportRoles.includes(actor.role))) return;
    throw new ChatError(ChatErrorCode.ReportsForbidden, 'Solo supervisión y administración pueden consultar los reportes.', HttpStatus.FORBIDDEN);
  }

  async summary(actor: ChatActor, query: ReportSummaryQueryDto): Promise<ReportSummaryDto> {
    this.assertCanRead(actor);
    const range = await this.range(query);
    const groupBy: ReportGroup = query.group_by ?? 'overall';
    const [conversations, backlog] = await Promise.all([this.reports.conversationsInRange(range.start, range.end), this.reports.backlog()]);
    const labels = groupBy === 'label' ? await this.reports.labelsInRange(range.start, range.end) : null;

    const keysOf = (id: string, assignee: string | null): string[] => {
      if (groupBy === 'overall') return ['overall'];
      if (groupBy === 'agent') return [assignee ?? UNASSIGNED];
      const own = labels?.get(id) ?? [];
      return own.length > 0 ? own.map((label) => label.id) : [UNLABELED];
    };
    const groups = new Map<string, { conversations: ReportConversationRow[]; backlog: BacklogRow[] }>();
    const group = (key: string) => {
      let entry = groups.get(key);
      if (!entry) groups.set(key, (entry = { conversations: [], backlog: [] }));
      return entry;
    };
    if (groupBy === 'overall') group('overall');
    for (const conversation of conversations)
      for (const key of keysOf(conversation.id, conversation.assignedSupportUserId)) group(key).conversations.push(conversation);
    for (const row of backlog) for (const key of keysOf(row.id, row.assignedSupportUserId)) group(key).backlog.push(row);

    const names = await this.groupNames(groupBy, [...groups.keys()], labels);
    const table = businessTable(conversations, range.hours);
    const rows = [...groups.entries()].map(([key, entry]) => this.row(key, names.get(key) ?? key, entry.conversations, entry.backlog, range, table));
    rows.sort((a, b) => b.opened - a.opened || a.name.localeCompare(b.name, 'es'));
    return { from: range.from, to: range.to, time_zone: range.hours.timeZone, group_by: groupBy, rows };
  }

  async volume(actor: ChatActor, query: ReportRangeQueryDto): Promise<ReportVolumeDto> {
    this.assertCanRead(actor);
    const range = await this.range(query);
    const conversations = await this.reports.conversationsInRange(range.start, range.end);
    const zone = range.hours.timeZone;
    const localDays = new LocalDayIndex(range.from, range.to, zone);
    const days = new Map(daysBetween(range.from, range.to).map((date) => [date, { date, opened: 0, resolved: 0, ratings: [] as number[] }]));
    const buckets = new Map(RESPONSE_BUCKETS.map((bucket) => [bucket.key, 0]));
    for (const conversation of conversations) {
      if (this.openedIn(conversation, range)) {
        const day = days.get(localDays.dayOf(conversation.createdAt));
        if (day) day.opened++;
        const firstResponse = clockMinutes(conversation.firstCandidateMessageAt, conversation.firstResponseAt);
        if (firstResponse !== null) {
          const key = responseBucket(firstResponse);
          buckets.set(key, (buckets.get(key) ?? 0) + 1);
        }
      }
      if (this.resolvedIn(conversation, range)) {
        const day = days.get(localDays.dayOf(conversation.resolvedAt!));
        if (day) {
          day.resolved++;
          if (conversation.latestRating !== null) day.ratings.push(conversation.latestRating);
        }
      }
    }
    return {
      from: range.from,
      to: range.to,
      time_zone: zone,
      days: [...days.values()].map((day) => ({
        date: day.date,
        opened: day.opened,
        resolved: day.resolved,
        csat_average: day.ratings.length > 0 ? round1(average(day.ratings)) : null,
        csat_count: day.ratings.length,
      })),
      response_time_distribution: RESPONSE_BUCKETS.map((bucket) => ({ key: bucket.key, label: bucket.label, count: buckets.get(bucket.key) ?? 0 })),
    };
  }

  /** Active staff, online or not, with their open and waiting load (online first, then the most loaded). */
  async liveAgents(actor: ChatActor): Promise<LiveAgentsDto> {
    this.assertCanRead(actor);
    const staff = (await this.users.searchIds('', this.config.staffRoles, LIVE_AGENTS_LIMIT)).filter(
      (user) => user.is_active && this.config.staffRoles.includes(user.role),
    );
    const [backlog, online] = await Promise.all([this.reports.backlog(), this.presence?.onlineUserIds(staff.map((user) => user.id)) ?? new Set<string>()]);
    const open = new Map<string, number>();
    const waiting = new Map<string, number>();
    let unassigned = 0;
    for (const row of backlog) {
      if (row.assignedSupportUserId === null) {
        unassigned++;
        continue;
      }
      open.set(row.assignedSupportUserId, (open.get(row.assignedSupportUserId) ?? 0) + 1);
      if (row.waitingSince) waiting.set(row.assignedSupportUserId, (waiting.get(row.assignedSupportUserId) ?? 0) + 1);
    }
    const agents = staff.map((user) => ({
      id: user.id,
      full_name: user.full_name,
      role: user.role,
      online: online.has(user.id),
      open_conversations: open.get(user.id) ?? 0,
      waiting_conversations: waiting.get(user.id) ?? 0,
    }));
    agents.sort((a, b) => Number(b.online) - Number(a.online) || b.open_conversations - a.open_conversations || a.full_name.localeCompare(b.full_name, 'es'));
    return { agents, unassigned_open: unassigned };
  }

  /** The summary as CSV lines (header first). */
  summaryCsv(summary: ReportSummaryDto): string {
    const header = [
      'grupo',
      'nombre',
      'abiertas',
      'resueltas',
      'primera_respuesta_mediana_min',
      'primera_respuesta_p90_min',
      'primera_respuesta_habil_mediana_min',
      'primera_respuesta_habil_p90_min',
      'resolucion_mediana_min',
      'resolucion_p90_min',
      'resolucion_habil_mediana_min',
      'resolucion_habil_p90_min',
      'csat_promedio',
      'csat_respuestas',
      'csat_1',
      'csat_2',
      'csat_3',
      'csat_4',
      'csat_5',
      'mensajes_por_conversacion',
      'pendientes_abiertas',
      'pendientes_esperando',
      'espera_mas_antigua_desde',
    ];
    const text = (value: number | string | null) => (value === null ? '' : String(value));
    const lines = summary.rows.map((row) =>
      csvRow([
        row.key,
        row.name,
        text(row.opened),
        text(row.resolved),
        ...durationFields(row.first_response).map(text),
        ...durationFields(row.resolution).map(text),
        text(row.csat.average),
        text(row.csat.count),
        ...row.csat.distribution.map(text),
        text(row.messages_per_conversation),
        text(row.backlog_open),
        text(row.backlog_waiting),
        text(row.oldest_waiting_since),
      ]),
    );
    return '\uFEFF' + csvRow(header) + lines.join('');
  }

  volumeCsv(volume: ReportVolumeDto): string {
    const text = (value: number | null) => (value === null ? '' : String(value));
    const days = volume.days.map((day) => csvRow([day.date, text(day.opened), text(day.resolved), text(day.csat_average), text(day.csat_count)]));
    return '\uFEFF' + csvRow(['fecha', 'abiertas', 'resueltas', 'csat_promedio', 'csat_respuestas']) + days.join('');
  }

  private row(
    key: string,
    name: string,
    conversations: ReportConversationRow[],
    backlog: BacklogRow[],
    range: Range,
    table: BusinessMinutesTable,
  ): ReportRowDto {
    const opened = conversations.filter((conversation) => this.openedIn(conversation, range));
    const resolved = conversations.filter((conversation) => this.resolvedIn(conversation, range));
    const firstResponses = opened
      .filter((conversation) => conversation.firstCandidateMessageAt && conversation.firstResponseAt)
      .map((conversation) => [conversation.firstCandidateMessageAt!, conversation.firstResponseAt!] as const);
    const resolutions = resolved.map((conversation) => [conversation.createdAt, conversation.resolvedAt!] as const);
    const ratings = resolved.map((conversation) => conversation.latestRating).filter((rating): rating is number => rating !== null);
    const waiting = backlog.filter((row) => row.waitingSince !== null).sort((a, b) => a.waitingSince!.getTime() - b.waitingSince!.getTime());
    return {
      key,
      name,
      opened: opened.length,
      resolved: resolved.length,
      first_response: durations(firstResponses, table),
      resolution: durations(resolutions, table),
      csat: csat(ratings),
      messages_per_conversation: opened.length > 0 ? round1(average(opened.map((conversation) => conversation.lastMessageSeq))) : null,
      backlog_open: backlog.length,
      backlog_waiting: waiting.length,
      oldest_waiting_since: waiting[0]?.waitingSince?.toISOString() ?? null,
      oldest_waiting_conversation_id: waiting[0]?.id ?? null,
    };
  }

  private openedIn(conversation: ReportConversationRow, range: Range): boolean {
    // Numbers, not Dates: comparing Date objects converts both through valueOf on every call.
    const created = conversation.createdAt.getTime();
    return created >= range.start.getTime() && created < range.end.getTime();
  }

  private resolvedIn(conversation: ReportConversationRow, range: Range): boolean {
    if (conversation.status === 'open' || conversation.resolvedAt === null) return false;
    const resolved = conversation.resolvedAt.getTime();
    return resolved >= range.start.getTime() && resolved < range.end.getTime();
  }

  private async groupNames(groupBy: ReportGroup, keys: string[], labels: Map<string, { id: string; name: string }[]> | null): Promise<Map<string, string>> {
    const names = new Map<string, string>([
      ['overall', 'Total'],
      [UNASSIGNED, 'Sin asignar'],
      [UNLABELED, 'Sin etiqueta'],
    ]);
    if (groupBy === 'agent') {
      const users = await this.users.byIds(keys.filter((key) => key !== UNASSIGNED));
      for (const [id, user] of users) names.set(id, user.full_name);
    }
    if (groupBy === 'label' && labels) for (const list of labels.values()) for (const label of list) names.set(label.id, label.name);
    return names;
  }

  private async range(query: ReportRangeQueryDto): Promise<Range> {
    const invalid = (message: string) =>
      new ChatError(ChatErrorCode.ReportRangeInvalid, message, HttpStatus.BAD_REQUEST, [{ field: 'from', code: ChatErrorCode.ReportRangeInvalid, message }]);
    if (!isValidLocalDate(query.from) || !isValidLocalDate(query.to)) throw invalid('Las fechas del reporte no son válidas (AAAA-MM-DD).');
    if (query.to < query.from) throw invalid('La fecha final del reporte es anterior a la inicial.');
    if (daysBetween(query.from, query.to).length > REPORT_MAX_DAYS) throw invalid(`El periodo del reporte puede abarcar como máximo ${REPORT_MAX_DAYS} días.`);
    const { hours } = await this.businessHours.current();
    return {
      from: query.from,
      to: query.to,
      start: startOfLocalDay(query.from, hours.timeZone),
      end: startOfLocalDay(nextDay(query.to), hours.timeZone),
      hours,
    };
  }
}

function clockMinutes(from: Date | null, to: Date | null): number | null {
  if (!from || !to) return null;
  return Math.max(0, (to.getTime() - from.getTime()) / MINUTE);
}

/** One business-minutes table over every instant a report's durations start or end at. */
function businessTable(conversations: readonly ReportConversationRow[], hours: BusinessHours): BusinessMinutesTable {
  let earliest = Number.POSITIVE_INFINITY;
  let latest = Number.NEGATIVE_INFINITY;
  const see = (instant: Date | null) => {
    if (!instant) return;
    const time = instant.getTime();
    if (time < earliest) earliest = time;
    if (time > latest) latest = time;
  };
  for (const conversation of conversations) {
    see(conversation.createdAt);
    see(conversation.firstCandidateMessageAt);
    see(conversation.firstResponseAt);
    see(conversation.resolvedAt);
  }
  return earliest <= latest
    ? new BusinessMinutesTable(hours, new Date(earliest), new Date(latest))
    : new BusinessMinutesTable(hours, new Date(0), new Date(-1));
}

function durations(pairs: readonly (readonly [Date, Date])[], table: BusinessMinutesTable): DurationFiguresDto {
  const clock = pairs.map(([from, to]) => clockMinutes(from, to)!);
  const business = pairs.map(([from, to]) => table.minutesBetween(from, to));
  return {
    count: pairs.length,
    median_minutes: round1(percentile(clock, 0.5)),
    p90_minutes: round1(percentile(clock, 0.9)),
    business_median_minutes: round1(percentile(business, 0.5)),
    business_p90_minutes: round1(percentile(business, 0.9)),
  };
}

function durationFields(figures: DurationFiguresDto): (number | null)[] {
  return [figures.median_minutes, figures.p90_minutes, figures.business_median_minutes, figures.business_p90_minutes];
}

function csat(ratings: readonly number[]): CsatFiguresDto {
  const distribution = [0, 0, 0, 0, 0];
  for (const rating of ratings) if (rating >= 1 && rating <= 5) distribution[rating - 1]++;
  return { count: ratings.length, average: ratings.length > 0 ? round1(average(ratings)) : null, distribution };
}

function average(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
