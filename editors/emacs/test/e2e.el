;;; e2e.el --- Headless test of the eglot snippet of editors/README.md  -*- lexical-binding: t -*-

;; Run by editors/emacs/test/run.sh:
;;   emacs --batch -l editors/emacs/test/e2e.el FIXTURE README
;; with `copydesk' on PATH. Evaluates the README's eglot snippet as written, opens
;; the French draft of FIXTURE (a copy of editors/nvim/test/fixture with a .git
;; folder, so that it is its own project on Emacs 28 too), and checks the
;; diagnostics (the snippet turns vague-source off through
;; `eglot-workspace-configuration'), the hover on « OTSC », its references and its
;; definition. Prints one line per check and `N passed, M failed'; exits 1 on any
;; failure.

;;; Code:

(require 'package)
(package-initialize)
(require 'cl-lib)
(require 'eglot)
(require 'markdown-mode)
(require 'flymake)

(defvar e2e-fixture (expand-file-name (nth 0 command-line-args-left)))
(defvar e2e-readme (expand-file-name (nth 1 command-line-args-left)))
(setq command-line-args-left nil)
(defvar e2e-passed 0)
(defvar e2e-failed 0)

(defun e2e-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defmacro e2e-check (name &rest body)
  "Run BODY as the check NAME: it passes unless it signals."
  (declare (indent 1))
  `(condition-case err
       (progn ,@body
              (setq e2e-passed (1+ e2e-passed))
              (e2e-out "ok - %s" ,name))
     (error
      (setq e2e-failed (1+ e2e-failed))
      (e2e-out "not ok - %s\n    %S" ,name err))))

(defun e2e-finish ()
  (ignore-errors
    (let ((server (eglot-current-server)))
      (when server (eglot-shutdown server))))
  (e2e-out "%d passed, %d failed" e2e-passed e2e-failed)
  (kill-emacs (if (and (= e2e-failed 0) (> e2e-passed 0)) 0 1)))

(defun e2e-wait (what pred &optional seconds)
  "Wait until PRED is non-nil, running timers and processes; signal after SECONDS."
  (let ((deadline (+ (float-time) (or seconds 20)))
        value)
    (while (and (not (setq value (funcall pred)))
                (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or value (error "Timed out waiting for %s" what))))

(defun e2e-readme-snippet (name)
  "The elisp block after the `<!-- snippet: NAME' marker of the README."
  (with-temp-buffer
    (insert-file-contents e2e-readme)
    (goto-char (point-min))
    (unless (search-forward (concat "<!-- snippet: " name) nil t)
      (error "No snippet %s in %s" name e2e-readme))
    (re-search-forward "^```elisp\n")
    (let ((start (point)))
      (re-search-forward "^```$")
      (buffer-substring-no-properties start (match-beginning 0)))))

(defun e2e-codes ()
  "The rule codes of the flymake diagnostics of the current buffer."
  (delete-dups
   (mapcar (lambda (d)
             (let ((text (flymake-diagnostic-text d)))
               (and (string-match "\\[\\([a-z-]+/[a-z-]+\\)\\]" text)
                    (match-string 1 text))))
           (flymake-diagnostics))))

(defun e2e-goto (line-regexp needle)
  "Put point in the middle of NEEDLE on the first line matching LINE-REGEXP."
  (goto-char (point-min))
  (re-search-forward line-regexp)
  (beginning-of-line)
  (search-forward needle (line-end-position))
  (backward-char 2))

(defun e2e-request (method params)
  (jsonrpc-request (eglot-current-server) method params))

(defun e2e-main ()
  (let (buffer)
    (e2e-check "the README's eglot snippet evaluates"
      (with-temp-buffer
        (insert (e2e-readme-snippet "emacs-eglot"))
        (goto-char (point-min))
        (condition-case nil
            (while t (eval (read (current-buffer)) t))
          (end-of-file nil))))

    (e2e-check "the French draft opens in markdown-mode and eglot connects"
      (setq buffer (find-file-noselect (expand-file-name "fr/brouillon-otsc.md" e2e-fixture)))
      ;; Displayed, as flymake only checks buffers that are shown.
      (switch-to-buffer buffer)
      (unless (derived-mode-p 'markdown-mode) (error "Mode %s" major-mode))
      ;; `eglot-ensure' waits for the end of the command, which batch mode never has.
      (run-hooks 'post-command-hook)
      (e2e-wait "eglot" #'eglot-current-server)
      (let ((root (file-name-as-directory (file-truename (project-root (eglot--project (eglot-current-server)))))))
        (unless (equal root (file-name-as-directory (file-truename e2e-fixture)))
          (error "Project root %s" root))))

    (unless (eglot-current-server) (e2e-finish))
    (set-buffer buffer)

    (e2e-check "diagnostics: hearsay and acronym; vague-source off by the workspace configuration"
      (e2e-wait "hearsay and acronym diagnostics"
                (lambda () (let ((codes (e2e-codes)))
                             (and (member "attribution/hearsay" codes)
                                  (member "style/acronym-first-use" codes)))))
      ;; The configuration arrives just after the document: wait for its reload.
      (e2e-wait "vague-source to go"
                (lambda () (not (member "attribution/vague-source" (e2e-codes)))))
      (let ((hearsay (cl-find-if (lambda (d) (string-match-p "attribution/hearsay" (flymake-diagnostic-text d)))
                                 (flymake-diagnostics))))
        (unless (equal (buffer-substring-no-properties (flymake-diagnostic-beg hearsay)
                                                       (flymake-diagnostic-end hearsay))
                       "aurait franchi")
          (error "Hearsay range %S" (buffer-substring-no-properties (flymake-diagnostic-beg hearsay)
                                                                    (flymake-diagnostic-end hearsay))))))

    (e2e-check "hover on « OTSC » shows the CSTO card"
      (e2e-goto "^L'Arm" "OTSC")
      (let* ((hover (e2e-request :textDocument/hover (eglot--TextDocumentPositionParams)))
             (contents (plist-get hover :contents))
             (text (if (stringp contents) contents (plist-get contents :value))))
        (dolist (want '("Organisation du traité de sécurité collective" "CSTO"))
          (unless (string-search want text) (error "No %S in %S" want text)))))

    (e2e-check "references of « OTSC » include the English article"
      (e2e-goto "^L'Arm" "OTSC")
      (e2e-wait "the English article among the references"
                (lambda ()
                  (let ((refs (e2e-request :textDocument/references
                                           (append (eglot--TextDocumentPositionParams)
                                                   '(:context (:includeDeclaration :json-false))))))
                    (cl-some (lambda (loc) (string-suffix-p "/en/csto-summit.md" (plist-get loc :uri)))
                             refs)))))

    (e2e-check "definition of « OTSC » is its knowledge-base entry"
      (e2e-goto "^L'Arm" "OTSC")
      (let* ((def (e2e-request :textDocument/definition (eglot--TextDocumentPositionParams)))
             (loc (if (vectorp def) (aref def 0) def))
             (uri (or (plist-get loc :uri) (plist-get loc :targetUri))))
        (unless (and uri (string-suffix-p "organisations.toml" uri))
          (error "Definition %S" def))))
    (e2e-finish)))

(condition-case err
    (e2e-main)
  (error
   (setq e2e-failed (1+ e2e-failed))
   (e2e-out "not ok - the test script itself\n    %S" err)
   (e2e-finish)))

;;; e2e.el ends here
