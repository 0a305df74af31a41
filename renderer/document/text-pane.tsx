/**
 * The JSON / text format pane (Monaco). Shows the message as proto3 JSON or text format; what
 * the user types applies only when they press Apply (or Ctrl+Enter), never on a pause, a blur or
 * a switch: until then it is kept unapplied (text-drafts.ts) and marked so. An Apply first asks
 * the engine what it would change, and asks the user when that goes beyond the edited fields;
 * afterwards the pane lists what changed. Errors are shown inline; completion offers the fields
 * of the message type at the cursor.
 */
import { useEffect, useRef, useState } from 'react';
import type { DocumentSummary, FieldInfo, NodePath, SetTextResult, TextApplyWarning, TextChange } from '../../core/api/contract';
import { api, whenQuiet } from '../host/bridge';
import { monaco } from './monaco-setup';
import { jsonContext } from './json-path';
import { errorText } from '../shared/util';
import { draftOf, keepDraft, type DraftKey } from './text-drafts';
import { ChangeList, TextApplyDialog } from './text-apply-dialog';
import { countChanges } from './text-changes';

interface Props {
  docId: string;
  message: number;
  version: number;
  typeName: string | null;
  /** The node selected in the tree: revealed and marked in the JSON. */
  selected: NodePath | null;
  onSummary: (s: DocumentSummary) => void;
  /** The message's size when it is too big to show as text unasked (0: show it at once). */
  largeBytes: number;
}

const dark = () => window.matchMedia('(prefers-color-scheme: dark)').matches;

/** Completion: the fields of the type at the cursor, resolved through describeType. */
let completionContext: { typeName: string | null } = { typeName: null };
const describeCache = new Map<string, Promise<FieldInfo[]>>();
const describe = (t: string) => {
  let p = describeCache.get(t);
  if (!p) {
    p = api.describeType({ typeName: t });
    describeCache.set(t, p);
  }
  return p;
};
let registered = false;
function registerCompletion(): void {
  if (registered) return;
  registered = true;
  monaco.languages.registerCompletionItemProvider('json', {
    triggerCharacters: ['"'],
    async provideCompletionItems(model, position) {
      const root = completionContext.typeName;
      if (!root) return { suggestions: [] };
      const before = model.getValueInRange({
        startLineNumber: 1,
        startColumn: 1,
        endLineNumber: position.lineNumber,
        endColumn: position.column,
      });
      const ctx = jsonContext(before);
      let type = root;
      for (const key of ctx.path) {
        const f = (await describe(type)).find((x) => x.jsonName === key || x.name === key);
        if (!f?.messageType) return { suggestions: [] };
        type = f.messageType;
      }
      const word = model.getWordUntilPosition(position);
      const range = {
        startLineNumber: position.lineNumber,
        endLineNumber: position.lineNumber,
        startColumn: word.startColumn,
        endColumn: word.endColumn,
      };
      const fields = await describe(type);
      if (!ctx.atKey) {
        // Value position: enum names of the field being written.
        const m = /"([^"]+)"\s*:\s*"?[\w]*$/.exec(before);
        const f = m ? fields.find((x) => x.jsonName === m[1] || x.name === m[1]) : undefined;
        return {
          suggestions: (f?.enumValues ?? []).map((v) => ({
            label: v,
            kind: monaco.languages.CompletionItemKind.EnumMember,
            insertText: v,
            range,
          })),
        };
      }
      return {
        suggestions: fields.map((f) => ({
          label: f.jsonName,
          kind: monaco.languages.CompletionItemKind.Field,
          detail: `${f.repeated ? 'repeated ' : ''}${f.type} = ${f.number}`,
          insertText: f.jsonName,
          range,
        })),
      };
    },
  });
}

/** What the last Apply did, shown until the text is edited again. */
interface ApplyReport {
  changes: readonly TextChange[];
  warnings: readonly TextApplyWarning[];
}

/** An Apply waiting for the user's agreement. */
interface PendingApply {
  text: string;
  baseVersion: number;
  dry: SetTextResult;
}

/** The pane. */
export function TextPane({ docId, message, version, typeName, selected, onSummary, largeBytes }: Props) {
  const [format, setFormat] = useState<'json' | 'text'>('json');
  /** A large message's text is loaded only once the user asks for it. */
  const [asked, setAsked] = useState(false);
  const shown = !largeBytes || asked;
  const [status, setStatus] = useState<{ text: string; error: boolean }>({ text: '', error: false });
  /** The text in the editor is not applied (it differs from the document's). */
  const [dirty, setDirty] = useState(false);
  /** The unapplied text was read before the document last changed (an Apply would be refused). */
  const [stale, setStale] = useState(false);
  const [report, setReport] = useState<ApplyReport | null>(null);
  const [pending, setPending] = useState<PendingApply | null>(null);
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  /** The text as last read from the document, and the version it was read at. */
  const base = useRef<{ text: string; version: number } | null>(null);
  const settingText = useRef(false);
  const where = useRef<DraftKey>({ docId, message, format });
  where.current = { docId, message, format };
  const apply = useRef<() => void>(() => undefined);
  /** Increments to read the document's text again (after Discard). */
  const [reread, setReread] = useState(0);

  completionContext = { typeName };

  // Monaco (a hundred ms or more of set-up) is created once the page is quiet: a dropped file's
  // tree or message list, and the data they asked for, show first. The effects below run again
  // once it is `ready`.
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let dispose: (() => void) | null = null;
    const cancelWait = whenQuiet(() => {
      dispose = createEditor();
      setReady(true);
    });
    const createEditor = () => {
      registerCompletion();
      const ed = monaco.editor.create(host.current!, {
        value: '',
        language: 'json',
        automaticLayout: true,
        minimap: { enabled: false },
        fontSize: 12,
        scrollBeyondLastLine: false,
        theme: dark() ? 'vs-dark' : 'vs',
        tabSize: 2,
        wordWrap: 'on',
      });
      editor.current = ed;
      const mq = window.matchMedia('(prefers-color-scheme: dark)');
      const onTheme = () => monaco.editor.setTheme(mq.matches ? 'vs-dark' : 'vs');
      mq.addEventListener('change', onTheme);
      ed.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => apply.current());
      // Typing only keeps the text as unapplied: nothing reaches the document before Apply.
      const sub = ed.onDidChangeModelContent(() => {
        if (settingText.current || !base.current) return;
        const text = ed.getValue();
        const key = where.current;
        const unapplied = text !== base.current.text;
        keepDraft(key, unapplied ? { text, baseVersion: draftOf(key)?.baseVersion ?? base.current.version } : null);
        setDirty(unapplied);
        if (!unapplied) setStale(false);
        setReport(null);
        setStatus({ text: '', error: false });
      });
      return () => {
        sub.dispose();
        mq.removeEventListener('change', onTheme);
        ed.dispose();
        editor.current = null;
      };
    };
    return () => {
      cancelWait();
      dispose?.();
    };
  }, []);

  useEffect(() => {
    const ed = editor.current;
    if (!ed) return;
    monaco.editor.setModelLanguage(ed.getModel()!, format === 'json' ? 'json' : 'plaintext');
  }, [format, ready]);

  // Read the text when the document changes; unapplied text the user typed stays in the editor.
  useEffect(() => {
    if (!shown || !ready) return;
    let live = true;
    void api.getText({ docId, message, format }).then((r) => {
      const ed = editor.current;
      if (!live || !ed) return;
      base.current = { text: r.error ? '' : r.text, version };
      const draft = draftOf({ docId, message, format });
      const text = draft?.text ?? (r.error ? '' : r.text);
      if (ed.getValue() !== text) {
        settingText.current = true;
        const pos = ed.getPosition();
        ed.setValue(text);
        if (pos) ed.setPosition(pos);
        settingText.current = false;
      }
      setDirty(!!draft);
      setStale(!!draft && draft.baseVersion !== version);
      if (!draft) monaco.editor.setModelMarkers(ed.getModel()!, 'protodesk', []);
      if (r.error) setStatus({ text: r.error, error: true });
      else if (!draft) setStatus((s) => (s.error ? { text: '', error: false } : s));
    });
    return () => {
      live = false;
    };
  }, [docId, message, version, format, shown, ready, reread]);

  // The tree's selection, shown in the JSON: reveal its line and mark it.
  const marks = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const selectedKey = selected?.join('.') ?? '';
  useEffect(() => {
    const ed = editor.current;
    if (!ed) return;
    marks.current ??= ed.createDecorationsCollection();
    if (!selected || format !== 'json' || !shown || dirty) {
      marks.current.clear();
      return;
    }
    let live = true;
    void api.jsonPosition({ docId, message, path: selected }).then((p) => {
      if (!live || !p) return marks.current?.clear();
      ed.revealLineInCenterIfOutsideViewport(p.line);
      marks.current?.set([
        { range: new monaco.Range(p.line, 1, p.line, 1), options: { isWholeLine: true, className: 'json-selected-line' } },
      ]);
    });
    return () => {
      live = false;
    };
    // selectedKey stands for selected's content
  }, [docId, message, version, format, selectedKey, shown, ready, dirty]);

  /** Marks the text's errors in the editor (none: clears them). */
  const showErrors = (r: SetTextResult) => {
    const model = editor.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      'protodesk',
      r.errors.map((e) => ({
        severity: monaco.MarkerSeverity.Error,
        message: e.message,
        startLineNumber: e.line,
        startColumn: e.column,
        endLineNumber: e.line,
        endColumn: Math.max(e.column + 1, model.getLineMaxColumn(Math.min(e.line, model.getLineCount()))),
      })),
    );
    if (!r.ok && r.errors.length) setStatus({ text: r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('; '), error: true });
  };

  /** A failed call: a text read before the document changed says so (the text stays, unapplied). */
  const failed = (e: unknown) => {
    if ((e as { code?: string }).code === 'conflict') {
      setStale(true);
      setStatus({ text: 'The message changed since this text was read: nothing was applied.', error: true });
    } else setStatus({ text: errorText(e), error: true });
  };

  /** Applies for real (after the dry run, and the user's agreement where it was needed). */
  const commit = async (text: string, baseVersion: number, confirmed: boolean) => {
    const key = where.current;
    try {
      const r = await api.setText({ ...key, text, baseVersion, ...(confirmed ? { confirmed } : {}) });
      showErrors(r);
      if (!r.ok) return;
      keepDraft(key, null);
      setDirty(false);
      setReport({ changes: r.changes ?? [], warnings: r.warnings ?? [] });
      setStatus({ text: `Applied: ${countChanges(r.changes ?? [])} (Undo takes it back)`, error: false });
      onSummary(r.summary);
    } catch (e) {
      failed(e);
    }
  };

  apply.current = async () => {
    const ed = editor.current;
    if (!ed || !base.current) return;
    const key = where.current;
    const text = ed.getValue();
    const baseVersion = draftOf(key)?.baseVersion ?? base.current.version;
    try {
      const dry = await api.setText({ ...key, text, baseVersion, dryRun: true });
      showErrors(dry);
      if (!dry.ok) return;
      if (!dry.changes?.length) {
        keepDraft(key, null);
        setDirty(false);
        setStatus({ text: 'Nothing to apply: the text says what the message holds.', error: false });
        return;
      }
      if (dry.warnings?.some((w) => w.confirm)) setPending({ text, baseVersion, dry });
      else await commit(text, baseVersion, false);
    } catch (e) {
      failed(e);
    }
  };

  /** Drops the unapplied text and shows the document's again. */
  const discard = () => {
    keepDraft(where.current, null);
    setDirty(false);
    setStale(false);
    setStatus({ text: '', error: false });
    setReread((n) => n + 1);
  };

  const unappliedIn = (f: 'json' | 'text') => (f === format ? dirty : !!draftOf({ docId, message, format: f }));
  const formatButton = (f: 'json' | 'text', label: string) => (
    <button className={format === f ? 'on' : ''} onClick={() => setFormat(f)} title={unappliedIn(f) ? 'Has unapplied changes' : undefined}>
      {label}
      {unappliedIn(f) ? ' ●' : ''}
    </button>
  );

  return (
    <div className="text-pane">
      <div className="pane-title">
        {formatButton('json', 'JSON')}
        {formatButton('text', 'Text format')}
        <button onClick={() => apply.current()} title="Apply (Ctrl+Enter)" data-testid="apply-text" className={dirty ? 'primary' : ''}>
          Apply
        </button>
        {dirty && (
          <button onClick={discard} title="Drop your unapplied text and show the message's" data-testid="discard-text">
            Discard
          </button>
        )}
        {dirty && !status.error && (
          <span className="text-dirty" data-testid="text-dirty">
            ● {stale ? 'unapplied, and the message changed since: Discard to see it' : 'unapplied: press Apply (Ctrl+Enter)'}
          </span>
        )}
        <span className={`text-status ${status.error ? 'error-text' : 'muted'}`} data-testid="text-status">
          {status.text}
        </span>
      </div>
      {report && (report.changes.length > 0 || report.warnings.length > 0) && (
        <div className="apply-report" data-testid="apply-report">
          <ChangeList changes={report.changes} max={6} />
          {report.warnings.map((w, i) => (
            <div key={i} className="muted small">
              {w.message}
            </div>
          ))}
          <button className="link" onClick={() => setReport(null)} aria-label="Hide what the Apply changed">
            ×
          </button>
        </div>
      )}
      {!shown && (
        <div className="text-large muted" data-testid="text-large">
          This message is {(largeBytes / (1024 * 1024)).toFixed(1)} MB: its {format === 'json' ? 'JSON' : 'text format'} takes a while to
          build and is not shown unasked. <button onClick={() => setAsked(true)}>Show it</button>
        </div>
      )}
      <div className="monaco-host" ref={host} data-testid="text-editor" />
      {pending && (
        <TextApplyDialog
          changes={pending.dry.changes ?? []}
          warnings={pending.dry.warnings ?? []}
          onCancel={() => setPending(null)}
          onApply={() => {
            setPending(null);
            void commit(pending.text, pending.baseVersion, true);
          }}
        />
      )}
    </div>
  );
}
