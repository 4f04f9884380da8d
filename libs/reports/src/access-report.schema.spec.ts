import Ajv from 'ajv';
import { ACCESS_REPORT_JSON_SCHEMA } from './index';
import { reportWithEvents, sampleReport } from './spec-helpers';

// A deliberately broken copy is edited freely, whatever the model says.
type Loose = any;

const ajv = new Ajv({ strict: true, allErrors: true });
const validate = ajv.compile(ACCESS_REPORT_JSON_SCHEMA);

function errorsOf(mutate: (r: Loose) => void): string[] {
  const copy: Loose = structuredClone(sampleReport());
  mutate(copy);
  expect(validate(copy)).toBe(false);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('access report JSON Schema', () => {
  it('is a draft-07 schema that ajv compiles in strict mode', () => {
    expect(ACCESS_REPORT_JSON_SCHEMA.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('accepts the sample report, in every language, and a long one', () => {
    for (const language of ['kk', 'ru', 'en'] as const) {
      const report = { ...sampleReport(), language };
      expect({ language, valid: validate(report), errors: validate.errors ?? null }).toEqual({ language, valid: true, errors: null });
    }
    expect(validate(JSON.parse(JSON.stringify(reportWithEvents(200))))).toBe(true);
    // One record may break a rule for two of its categories: the code comes twice.
    const twice: Loose = sampleReport();
    twice.events[0].violations = ['category-not-in-register', 'category-not-in-register'];
    expect(validate(twice)).toBe(true);
  });

  it('accepts the sparse cases: no IIN mask, nothing withheld known, no retention known, empty lists', () => {
    const report: Loose = sampleReport();
    Object.assign(report, { withheld: null, events: [], transfers: [], requests: [], violations: [], categories: [] });
    report.retention = { period: '', basis: '', verified: false };
    report.subject.maskedIin = null;
    expect(validate(report)).toBe(true);
  });

  it('accepts a category not known to be held (null), and nothing else beside true and false', () => {
    const report: Loose = sampleReport();
    report.categories[0].held = null;
    expect({ valid: validate(report), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
    expect(errorsOf((r) => (r.categories[0].held = 'unknown')).join('\n')).toMatch(/\/categories\/0\/held/);
  });

  it('rejects an unknown field, at the top and deep down', () => {
    expect(errorsOf((r) => (r.comment = 'x'))).toContain(' must NOT have additional properties');
    expect(errorsOf((r) => (r.events[0].note = 'x'))).toContain('/events/0 must NOT have additional properties');
    expect(errorsOf((r) => (r.categories[0].category.tier = 1))).toContain('/categories/0/category must NOT have additional properties');
  });

  it('takes the names of unit, role and system codes as strings by code, and nothing else there', () => {
    const report: Loose = sampleReport();
    report.names = { units: {}, roles: {}, systems: {} };
    expect(validate(report)).toBe(true);
    expect(errorsOf((r) => delete r.names)).toContain(" must have required property 'names'");
    expect(errorsOf((r) => (r.names.units['personnel-management'] = ''))).toContain('/names/units/personnel-management must NOT have fewer than 1 characters');
    expect(errorsOf((r) => (r.names.roles.auditor = { en: 'Auditor' }))).toContain('/names/roles/auditor must be string');
    expect(errorsOf((r) => (r.names.actors = {}))).toContain('/names must NOT have additional properties');
  });

  it('rejects a missing field', () => {
    expect(errorsOf((r) => delete r.retention)).toContain(" must have required property 'retention'");
    expect(errorsOf((r) => delete r.events[2].purpose)).toContain("/events/2 must have required property 'purpose'");
    expect(errorsOf((r) => delete r.requests[1].workingDaysLate)).toContain("/requests/1 must have required property 'workingDaysLate'");
  });

  it('rejects a code outside its list', () => {
    expect(errorsOf((r) => (r.events[0].operation = 'delete')).join('\n')).toMatch(/\/events\/0\/operation/);
    expect(errorsOf((r) => (r.violations[0].reasons[0].code = 'too-late'))).toContain('/violations/0/reasons/0/code must be equal to one of the allowed values');
    expect(errorsOf((r) => (r.requests[0].status = 'closed'))).toContain('/requests/0/status must be equal to one of the allowed values');
    expect(errorsOf((r) => (r.transfers[1].ground.kind = 'contract'))).toContain('/transfers/1/ground/kind must be equal to one of the allowed values');
    expect(errorsOf((r) => (r.language = 'de'))).toContain('/language must be equal to one of the allowed values');
    expect(errorsOf((r) => (r.schemaVersion = 1))).toContain('/schemaVersion must be equal to constant');
  });

  it('rejects dates not in their form', () => {
    expect(errorsOf((r) => (r.generatedAt = '2026-11-25T14:30:00+05:00'))[0]).toMatch(/^\/generatedAt must match pattern/);
    expect(errorsOf((r) => (r.events[0].at = '2026-11-25')).join('\n')).toMatch(/\/events\/0\/at must match pattern/);
    expect(errorsOf((r) => (r.requests[0].deadline = '2026-12-01T00:00:00Z')).join('\n')).toMatch(/\/requests\/0\/deadline must match pattern/);
  });

  it('rejects a closing time on an open request and its absence on a closed one', () => {
    expect(errorsOf((r) => (r.requests[0].closedAt = '2026-11-25T09:00:00Z')).join('\n')).toMatch(/\/requests\/0\/closedAt must be null/);
    expect(errorsOf((r) => (r.requests[1].closedAt = null)).join('\n')).toMatch(/\/requests\/1\/closedAt must be string/);
  });

  it('rejects an integrity section without its head, a malformed hash, and a row without its event id', () => {
    expect(errorsOf((r) => delete r.integrity.treeHead).join('\n')).toMatch(/\/integrity must have required property 'treeHead'/);
    expect(errorsOf((r) => (r.integrity.chain[0].chainHash = 'abc')).join('\n')).toMatch(/\/integrity\/chain\/0\/chainHash must match pattern/);
    expect(errorsOf((r) => delete r.events[0].eventId).join('\n')).toMatch(/\/events\/0 must have required property 'eventId'/);
  });

  it('holds the rights section: each right with its citation and whether verified, the deadlines, the contact or null', () => {
    const report: Loose = sampleReport();
    report.rights.contact = null;
    expect(validate(report)).toBe(true);
    expect(errorsOf((r) => delete r.rights)).toContain(" must have required property 'rights'");
    expect(errorsOf((r) => delete r.rights.items[1].verified)).toContain("/rights/items/1 must have required property 'verified'");
    expect(errorsOf((r) => (r.rights.items[0].requests = ['complaint']))).toContain('/rights/items/0/requests/0 must be equal to one of the allowed values');
    expect(errorsOf((r) => (r.rights.deadlines[0].workingDays = 0))).toContain('/rights/deadlines/0/workingDays must be >= 1');
    expect(errorsOf((r) => (r.rights.contact = ''))).toContain('/rights/contact must NOT have fewer than 1 characters');
    expect(errorsOf((r) => (r.rights.items = []))).toContain('/rights/items must NOT have fewer than 1 items');
    expect(errorsOf((r) => (r.rights.note = 'x'))).toContain('/rights must NOT have additional properties');
  });

  it("holds each deadline's basis and whether it is verified, and how the days are counted", () => {
    const report: Loose = sampleReport();
    expect(report.rights.deadlines.map((d: Loose) => d.basis)).toEqual(['law', 'law', 'law', 'law', 'configured', 'ledger-default']);
    expect(validate(report)).toBe(true);
    expect(errorsOf((r) => delete r.rights.deadlines[1].verified)).toContain("/rights/deadlines/1 must have required property 'verified'");
    expect(errorsOf((r) => delete r.rights.deadlines[2].basis)).toContain("/rights/deadlines/2 must have required property 'basis'");
    expect(errorsOf((r) => (r.rights.deadlines[0].basis = 'court'))).toContain('/rights/deadlines/0/basis must be equal to one of the allowed values');
    expect(errorsOf((r) => delete r.rights.counting)).toContain("/rights must have required property 'counting'");
    expect(errorsOf((r) => (r.rights.counting.text = ''))).toContain('/rights/counting/text must NOT have fewer than 1 characters');
    expect(errorsOf((r) => delete r.rights.counting.verified)).toContain("/rights/counting must have required property 'verified'");
  });

  it('rejects an IIN that is not masked', () => {
    expect(errorsOf((r) => (r.subject.maskedIin = '870412300424')).join('\n')).toMatch(/\/subject\/maskedIin must match pattern/);
  });
});
