import { getMetadataStorage, type MetadataStorage, type ValidationArguments, type ValidatorConstraintInterface, type ValidatorOptions } from 'class-validator';

/**
 * A fast yes/not-sure answer to "would validateSync find no error?", compiled from class-validator's own metadata
 * (the rules stay the decorators'). validateSync costs ~20 µs a record, mostly building error trees that are then
 * thrown away; this runs the same constraint instances and conditions, in the order ValidationExecutor does.
 * Anything it is unsure of (a failed constraint, an unknown key or class, a promise, a throw) answers false, and
 * the caller asks validateSync, which alone produces the error messages.
 */
export type ValidityCheck = (value: object) => boolean;

type Metadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];
type Condition = (object: object, value: unknown) => unknown;
type DtoClass = abstract new (...args: never[]) => object;

interface ConstraintCheck {
  readonly instance: ValidatorConstraintInterface;
  readonly each: boolean;
  readonly validateIf: Condition | undefined;
  readonly property: string;
  readonly constraints: unknown[];
}

interface PropertyPlan {
  readonly name: string;
  readonly conditions: readonly Condition[];
  /** IsDefined first, then the rest, as ValidationExecutor.performValidations runs them. */
  readonly checks: readonly ConstraintCheck[];
  readonly nested: boolean;
}

interface ClassPlan {
  readonly targetName: string;
  /** The whitelisted keys, or null when the options do not whitelist. */
  readonly known: ReadonlySet<string> | null;
  readonly properties: readonly PropertyPlan[];
  /** forbidUnknownValues on a class without metadata: validateSync refuses every value. */
  readonly refused: boolean;
}

/** Options that do not change whether a value is valid, or whose effect the checks below reproduce. */
const UNDERSTOOD_OPTIONS = new Set(['whitelist', 'forbidNonWhitelisted', 'forbidUnknownValues', 'validationError', 'stopAtFirstError', 'dismissDefaultMessages', 'enableDebugMessages']);

function constraintChecks(cls: DtoClass, storage: MetadataStorage, metadata: Metadata): ConstraintCheck[] {
  const where = `${cls.name}.${metadata.propertyName}`;
  if (typeof metadata.constraintCls !== 'function') throw new Error(`compileValidator: ${where} has a "${metadata.type}" rule without a constraint class`);
  const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
  if (constraints.length === 0) throw new Error(`compileValidator: ${where}: constraint class ${metadata.constraintCls.name} is not registered`);
  return constraints.map((constraint) => {
    // validateSync skips async constraints altogether; a sync fast path must not pretend to have checked them.
    if (constraint.async) throw new Error(`compileValidator: ${where}: async constraint "${constraint.name}" is not supported`);
    const instance = constraint.instance;
    if (typeof instance?.validate !== 'function') throw new Error(`compileValidator: ${where}: constraint "${constraint.name}" has no validate method`);
    return { instance, each: metadata.each === true, validateIf: metadata.validateIf, property: metadata.propertyName, constraints: metadata.constraints };
  });
}

function compileClass(cls: DtoClass, storage: MetadataStorage, whitelist: boolean, forbidUnknownValues: boolean): ClassPlan {
  const metadatas = storage.getTargetValidationMetadatas(cls, '', false, false, undefined);
  const properties = Object.entries(storage.groupByPropertyName(metadatas)).map(([name, group]): PropertyPlan => {
    const conditions: Condition[] = [];
    const defined: ConstraintCheck[] = [];
    const checks: ConstraintCheck[] = [];
    let nested = false;
    for (const metadata of group) {
      switch (metadata.type) {
        case 'conditionalValidation': {
          const condition = metadata.constraints?.[0] as unknown;
          if (typeof condition !== 'function') throw new Error(`compileValidator: ${cls.name}.${name} has a condition that is no function`);
          conditions.push(condition as Condition);
          break;
        }
        case 'isDefined': defined.push(...constraintChecks(cls, storage, metadata)); break;
        case 'customValidation': checks.push(...constraintChecks(cls, storage, metadata)); break;
        case 'nestedValidation': nested = true; break;
        case 'whitelistValidation': break;
        default: throw new Error(`compileValidator: ${cls.name}.${name} has validation metadata of type "${metadata.type}", which it does not understand`);
      }
    }
    return { name, conditions, checks: [...defined, ...checks], nested };
  });
  return {
    targetName: cls.name,
    known: whitelist ? new Set(properties.map((p) => p.name)) : null,
    properties,
    refused: forbidUnknownValues && metadatas.length === 0,
  };
}

/** A result class-validator counts as a pass; a promise (which validateSync would ignore) is not one here. */
function passed(result: unknown): boolean {
  return result === true || (Boolean(result) && typeof result !== 'object' && typeof result !== 'function');
}

/**
 * Compiles a check for objects of the given classes (chosen by `value.constructor`, as class-validator does;
 * a nested object of a class not listed is "not sure"). Throws at once on metadata or options it does not
 * understand, so that a new kind of decorator cannot be silently skipped.
 */
export function compileValidator(classes: readonly DtoClass[], options: ValidatorOptions): ValidityCheck {
  for (const [key, value] of Object.entries(options)) {
    if (!UNDERSTOOD_OPTIONS.has(key) && value !== undefined && value !== false) throw new Error(`compileValidator: option ${key} is not supported`);
  }
  const storage = getMetadataStorage();
  const forbidUnknownValues = options.forbidUnknownValues !== false;
  const plans = new Map<unknown, ClassPlan>(classes.map((cls) => [cls, compileClass(cls, storage, options.whitelist === true, forbidUnknownValues)]));

  function checkObject(object: object): boolean {
    const plan = plans.get(object.constructor);
    if (plan === undefined || plan.refused) return false;
    // Unknown keys are errors with forbidNonWhitelisted and are deleted without it: either way, validateSync's job.
    if (plan.known !== null) for (const key of Object.keys(object)) if (!plan.known.has(key)) return false;
    for (const property of plan.properties) {
      if (!checkProperty(plan, property, object, (object as Record<string, unknown>)[property.name])) return false;
    }
    return true;
  }

  function checkProperty(plan: ClassPlan, property: PropertyPlan, object: object, value: unknown): boolean {
    for (const condition of property.conditions) if (!condition(object, value)) return true;
    for (const check of property.checks) if (!checkConstraint(plan, check, object, value)) return false;
    return !property.nested || checkNested(value);
  }

  function checkConstraint(plan: ClassPlan, check: ConstraintCheck, object: object, value: unknown): boolean {
    if (check.validateIf !== undefined && !check.validateIf(object, value)) return true;
    const args: ValidationArguments = { targetName: plan.targetName, property: check.property, object, value, constraints: check.constraints };
    if (!check.each || !Array.isArray(value)) {
      if (check.each && (value instanceof Set || value instanceof Map)) return false;
      return passed(check.instance.validate(value, args));
    }
    // every() skips the holes of a sparse array, as class-validator's map and every do.
    return value.every((item) => passed(check.instance.validate(item, args)));
  }

  /** ValidationExecutor.nestedValidations: undefined passes, arrays by element, objects by their own class. */
  function checkNested(value: unknown): boolean {
    if (value === undefined) return true;
    if (Array.isArray(value)) {
      for (const item of value) if (!checkNested(item)) return false;
      return true;
    }
    return value instanceof Object && !(value instanceof Set || value instanceof Map) && checkObject(value);
  }

  return (value) => {
    try {
      return checkObject(value);
    } catch {
      return false;
    }
  };
}
