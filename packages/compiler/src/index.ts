// @sluice/compiler: load, lower, validate, simulate, compile; the CLI lives in cli.ts.
export { compileProject, loadProject, emitFor, discoverPipelines, buildIR, type CompileRequest, type CompileResult, type ProjectResult } from './compile.js';
export { simulate, simulatePipeline, describeCondition, shouldRun, runResult, type Faults, type Simulation, type SimulationOptions } from './simulate.js';
export { renderPlan, planJson } from './plan.js';
export { whatStepsReceive, SELECTOR, resolveInputs, secretsOf, defaultRuns, type TriggerRun, type StepDelivery, type Delivery, type DeliveryOptions } from './receives.js';
export { validate, RULES } from './validate.js';
export { lower } from './lower.js';
export { isValidSelector } from './checks/steps.js';
export { planChanges, applyChanges, unifiedDiff, type FileChange } from './output.js';
export { formatDiagnostic, formatDiagnostics } from './format.js';
export { main, EXIT } from './cli.js';
export { mermaidFlowchart, pipelinesMarkdown } from './mermaid.js';
