import { DEFAULT_ATTACHMENT_MIME_TYPES, loadSupportChatConfig, SupportChatConfigError } from './support-chat.config';

describe('loadSupportChatConfig', () => {
  it("uses the spec's defaults", () => {
    expect(loadSupportChatConfig({})).toEqual({
      maxMessageLength: 4000,
      maxSubjectLength: 255,
      attachmentMimeTypes: DEFAULT_ATTACHMENT_MIME_TYPES,
      attachmentMaxBytes: 10 * 1024 * 1024,
      attachmentUrlPrefixes: [],
      allowInsecureAttachmentPrefixes: false,
      candidateRoles: ['candidato'],
      staffRoles: ['soporte', 'admin', 'developer', 'coordinator'],
      supervisorRoles: ['gerente'],
      auditRoles: ['admin'],
      reportRoles: ['admin'],
      coordinatorRoles: ['coordinator'],
      candidateCanReopenClosed: true,
      adminRoles: ['admin'],
      sendInOneStatement: true,
      postgresPreparedStatements: true,
    });
  });

  it('reads every SUPPORT_CHAT_* variable', () => {
    const config = loadSupportChatConfig({
      SUPPORT_CHAT_MAX_MESSAGE_LENGTH: '2000',
      SUPPORT_CHAT_MAX_SUBJECT_LENGTH: '120',
      SUPPORT_CHAT_ATTACHMENT_MIMES: 'image/png, Application/PDF',
      SUPPORT_CHAT_ATTACHMENT_MAX_BYTES: '1048576',
      SUPPORT_CHAT_ATTACHMENT_URL_PREFIXES: 'https://storage.example.com/chat/',
      SUPPORT_CHAT_CANDIDATE_ROLES: 'candidate,student',
      SUPPORT_CHAT_STAFF_ROLES: 'helpdesk,jefe_soporte',
      SUPPORT_CHAT_SUPERVISOR_ROLES: 'gerente, director',
      SUPPORT_CHAT_AUDIT_ROLES: 'jefe_soporte',
      SUPPORT_CHAT_REPORT_ROLES: 'jefe_soporte',
      SUPPORT_CHAT_COORDINATOR_ROLES: 'lead',
      SUPPORT_CHAT_CANDIDATE_CAN_REOPEN_CLOSED: 'false',
      SUPPORT_CHAT_ADMIN_ROLES: 'helpdesk',
      SUPPORT_CHAT_SEND_IN_ONE_STATEMENT: 'false',
      SUPPORT_CHAT_POSTGRES_PREPARED_STATEMENTS: 'false',
    });
    expect(config).toEqual({
      maxMessageLength: 2000,
      maxSubjectLength: 120,
      attachmentMimeTypes: ['image/png', 'application/pdf'],
      attachmentMaxBytes: 1048576,
      attachmentUrlPrefixes: ['https://storage.example.com/chat/'],
      allowInsecureAttachmentPrefixes: false,
      candidateRoles: ['candidate', 'student'],
      staffRoles: ['helpdesk', 'jefe_soporte', 'lead'],
      supervisorRoles: ['gerente', 'director'],
      auditRoles: ['jefe_soporte'],
      reportRoles: ['jefe_soporte'],
      coordinatorRoles: ['lead'],
      candidateCanReopenClosed: false,
      adminRoles: ['helpdesk'],
      sendInOneStatement: false,
      postgresPreparedStatements: false,
    });
  });

  it('accepts http:// prefixes (ending in /) only with SUPPORT_CHAT_ALLOW_INSECURE_ATTACHMENT_PREFIXES=true', () => {
    const config = loadSupportChatConfig({
      SUPPORT_CHAT_ALLOW_INSECURE_ATTACHMENT_PREFIXES: 'true',
      SUPPORT_CHAT_ATTACHMENT_URL_PREFIXES: 'http://localhost:3000/api/uploads/,https://files.example.com/',
    });
    expect(config.allowInsecureAttachmentPrefixes).toBe(true);
    expect(config.attachmentUrlPrefixes).toEqual(['http://localhost:3000/api/uploads/', 'https://files.example.com/']);
  });

  it('SUPPORT_CHAT_SUPERVISOR_ROLES=none turns supervisors off; a supervisor role cannot also be candidate or staff', () => {
    expect(loadSupportChatConfig({ SUPPORT_CHAT_SUPERVISOR_ROLES: 'none' }).supervisorRoles).toEqual([]);
    expect(() => loadSupportChatConfig({ SUPPORT_CHAT_SUPERVISOR_ROLES: 'gerente,admin' })).toThrow(
      'a supervisor role cannot also be a candidate or staff role: admin',
    );
  });

  it('lets the host override values in code', () => {
    expect(loadSupportChatConfig({ SUPPORT_CHAT_MAX_MESSAGE_LENGTH: '100' }, { maxMessageLength: 50 }).maxMessageLength).toBe(50);
  });

  it.each([
    [{ SUPPORT_CHAT_MAX_MESSAGE_LENGTH: 'mucho' }, 'SUPPORT_CHAT_MAX_MESSAGE_LENGTH must be an integer'],
    [{ SUPPORT_CHAT_MAX_MESSAGE_LENGTH: '0' }, 'SUPPORT_CHAT_MAX_MESSAGE_LENGTH must be an integer between 1 and 32000'],
    [{ SUPPORT_CHAT_MAX_MESSAGE_LENGTH: '40000' }, 'between 1 and 32000'],
    [{ SUPPORT_CHAT_MAX_SUBJECT_LENGTH: '2000' }, 'SUPPORT_CHAT_MAX_SUBJECT_LENGTH must be an integer between 1 and 1000'],
    [{ SUPPORT_CHAT_ATTACHMENT_MAX_BYTES: '10MB' }, 'SUPPORT_CHAT_ATTACHMENT_MAX_BYTES must be an integer'],
    [{ SUPPORT_CHAT_ATTACHMENT_MIMES: 'image/png,pdf' }, 'invalid MIME type "pdf"'],
    [{ SUPPORT_CHAT_ATTACHMENT_URL_PREFIXES: 'http://insecure.example.com/' }, 'must start with https://'],
    [{ SUPPORT_CHAT_ALLOW_INSECURE_ATTACHMENT_PREFIXES: 'sí' }, 'SUPPORT_CHAT_ALLOW_INSECURE_ATTACHMENT_PREFIXES must be true or false'],
    [
      { SUPPORT_CHAT_ALLOW_INSECURE_ATTACHMENT_PREFIXES: 'true', SUPPORT_CHAT_ATTACHMENT_URL_PREFIXES: 'http://localhost:3000' },
      'http:// entries must be an origin and a path ending in /',
    ],
    [{ SUPPORT_CHAT_STAFF_ROLES: 'candidato' }, 'a role cannot be both candidate and staff: candidato'],
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => loadSupportChatConfig(env)).toThrow(SupportChatConfigError);
    expect(() => loadSupportChatConfig(env)).toThrow(message);
  });

  it('lists every problem at once', () => {
    expect(() => loadSupportChatConfig({ SUPPORT_CHAT_MAX_MESSAGE_LENGTH: 'x', SUPPORT_CHAT_MAX_SUBJECT_LENGTH: 'y' })).toThrow(
      /SUPPORT_CHAT_MAX_MESSAGE_LENGTH[\s\S]*SUPPORT_CHAT_MAX_SUBJECT_LENGTH/,
    );
  });

  it('SUPPORT_CHAT_ADMIN_ROLES: staff roles only; the default admin is dropped when it is not a staff role', () => {
    expect(loadSupportChatConfig({ SUPPORT_CHAT_ADMIN_ROLES: 'admin,soporte' }).adminRoles).toEqual(['admin', 'soporte']);
    expect(() => loadSupportChatConfig({ SUPPORT_CHAT_ADMIN_ROLES: 'gerente' })).toThrow('SUPPORT_CHAT_ADMIN_ROLES must be staff roles (not staff: gerente)');
    expect(loadSupportChatConfig({ SUPPORT_CHAT_STAFF_ROLES: 'helpdesk' }).adminRoles).toEqual([]);
  });
});
