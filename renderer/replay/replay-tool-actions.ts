/**
 * What the replay pane's tools do, over the host API: start the mock and point the form at it,
 * view a past send and restore it (body included), copy a send as a curl / grpcurl / buf curl
 * command, load a server's schemas by gRPC reflection, and edit the environments whose {{variables}} sends fill in (secret values go to the
 * host's secret store and never come back).
 */
import type { ReplayCommandTool, ReplayHistoryEntry, ReplayPreset, ReplayTransport } from '../../core/api/replay-contract';
import { chooseMethod, choosePreset, run, sourceOf, targetOf, type ReplayPaneApi } from './replay-actions';
import { parseHeaderLines, parseVariableLines, resendHeaders } from './replay-logic';
import type { ReplayStateAccess } from './replay-state';

/** The mock's preset for a transport (the host lists them while the mock runs). */
export function mockPreset(presets: ReplayPreset[], transport: ReplayTransport): ReplayPreset | undefined {
  return presets.find((p) => p.name.startsWith('Mock:') && p.transport === transport);
}

/** Points the form at the running mock, keeping the transport (its preset: URL and dev key). */
export function pointAtMock(pane: ReplayStateAccess): void {
  const s = pane.get();
  const preset = mockPreset(s.presets, s.transport);
  if (preset) choosePreset(pane, preset.name);
}

/** Starts the mock with the pane's port and fixture, then points the form at it. */
export function startMock(pane: ReplayStateAccess, api: ReplayPaneApi): Promise<void> {
  return run(pane, async () => {
    const s = pane.get();
    const mock = await api.replayMockStart({ port: s.mockPort, fixtureJson: s.fixture });
    pane.set({ mock, presets: await api.replayPresets({}) });
    pointAtMock(pane);
  });
}

/** Stops the mock (its presets go away). */
export function stopMock(pane: ReplayStateAccess, api: ReplayPaneApi): Promise<void> {
  return run(pane, async () => {
    pane.set({ mock: await api.replayMockStop({}) });
    pane.set({ presets: await api.replayPresets({}) });
  });
}

/** Shows a past send with its request and answer. */
export function viewHistory(pane: ReplayStateAccess, api: ReplayPaneApi, id: string): Promise<void> {
  return run(pane, async () => {
    pane.set({ historyView: await api.replayHistoryGet({ id }) });
  });
}

/**
 * Restores a past send into the form: URL, transport, method, the user's headers and the request
 * body (into the JSON box, which then stays the source); the past answer is shown.
 */
export function restoreHistory(pane: ReplayStateAccess, api: ReplayPaneApi, h: ReplayHistoryEntry): Promise<void> {
  return run(pane, async () => {
    const detail = await api.replayHistoryGet({ id: h.id });
    pane.set({
      url: h.url,
      transport: h.transport,
      headerText: resendHeaders(h.headers)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n'),
      historyView: detail,
      ...(h.environment !== undefined ? { environment: h.environment } : {}),
    });
    chooseMethod(pane, h.method);
    if (detail.requestJson !== undefined) pane.set({ source: 'json', sourceFollows: false, jsonText: detail.requestJson });
    if (detail.problem) pane.set({ notice: detail.problem });
  });
}

/** Copies the send as a command line (shown in the pane too; the clipboard may refuse). */
export function copyCommand(pane: ReplayStateAccess, api: ReplayPaneApi, tool: ReplayCommandTool): Promise<void> {
  return run(pane, async () => {
    const s = pane.get();
    const { tls: _tls, ...target } = targetOf(s);
    const r = await api.replayCommand({ ...target, ...sourceOf(s), tool, insecure: !s.verify });
    pane.set({ command: { tool, text: r.command, notes: r.notes } });
    let copied = false;
    try {
      await navigator.clipboard.writeText(r.command);
      copied = true;
    } catch {
      // No clipboard here (or no permission): the command is shown to select and copy.
    }
    pane.set({ notice: copied ? `${tool} command copied to the clipboard` : `${tool} command below: select it and copy` });
  });
}

/** Fills the environment form with a saved environment (secret values are never shown: their lines read "name="). */
export function editEnvironment(pane: ReplayStateAccess, name: string): void {
  const env = pane.get().environments.find((e) => e.name === name);
  pane.set({
    envForm: env
      ? {
          name: env.name,
          variables: Object.entries(env.variables)
            .map(([k, v]) => `${k}=${v}`)
            .join('\n'),
          secrets: env.secretVariables.map((k) => `${k}=`).join('\n'),
        }
      : { name: '', variables: '', secrets: '' },
  });
}

/** Saves the environment form (a secret line with an empty value keeps the stored value) and uses it for sends. */
export function saveEnvironment(pane: ReplayStateAccess, api: ReplayPaneApi): Promise<void> {
  return run(pane, async () => {
    const f = pane.get().envForm;
    const variables = parseVariableLines(f.variables);
    const secrets = parseVariableLines(f.secrets);
    await api.replayEnvSave({ name: f.name, variables, secrets });
    const listed = await api.replayEnvList({});
    pane.set({ environments: listed.environments, environment: f.name });
    editEnvironment(pane, f.name);
    const kept = Object.keys(secrets).length
      ? listed.persistent
        ? '; secrets stored encrypted'
        : '; secrets kept for this session only'
      : '';
    pane.set({ notice: `environment "${f.name}" saved${kept}` });
  });
}

/** Deletes the environment in the form, with its secrets. */
export function deleteEnvironment(pane: ReplayStateAccess, api: ReplayPaneApi): Promise<void> {
  return run(pane, async () => {
    const { name } = pane.get().envForm;
    await api.replayEnvDelete({ name });
    pane.set((s) => ({
      environments: s.environments.filter((e) => e.name !== name),
      environment: s.environment === name ? '' : s.environment,
    }));
    editEnvironment(pane, '');
  });
}

/**
 * Loads the schemas of the server at the URL by gRPC reflection (v1, else v1alpha) and adds what
 * the loaded schemas lack, as an uploaded descriptor set named after the server; the method list
 * then has its services.
 */
export function loadByReflection(pane: ReplayStateAccess, api: ReplayPaneApi): Promise<void> {
  return run(pane, async () => {
    const s = pane.get();
    const r = await api.replayReflect({ url: s.url, insecure: !s.verify, headers: parseHeaderLines(s.headerText), timeoutMs: s.timeoutMs });
    const known = new Set(s.methods.map((m) => m.service));
    const fresh = r.services.filter(
      (x) => !known.has(x) && x !== 'grpc.reflection.v1.ServerReflection' && x !== 'grpc.reflection.v1alpha.ServerReflection',
    );
    if (!fresh.length) {
      pane.set({ notice: `reflection (${r.version}): the server's ${r.services.length} services are all loaded already` });
      return;
    }
    const status = await api.addSchemas({ uploads: [{ name: `reflection-${new URL(s.url).host}.binpb`, contents: r.descriptorSet }] });
    pane.set({ methods: await api.replayListMethods({}) });
    const problems = status.errors.length ? `; ${status.errors.map((e) => `${e.file}: ${e.message}`).join('; ')}` : '';
    pane.set({ notice: `reflection (${r.version}): added ${fresh.join(', ')}${problems}` });
  });
}
