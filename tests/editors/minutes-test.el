;;; minutes-test.el --- ERT tests of editors/emacs/minutes.el  -*- lexical-binding: t; -*-

;; Run in batch by tests/editors/run_emacs.sh:
;;   emacs --batch -l ert -l editors/emacs/minutes.el -l tests/editors/minutes-test.el \
;;         -f ert-run-tests-batch-and-exit
;; with MINUTES_TEST_SEARCH and MINUTES_TEST_INDEX (the programs),
;; MINUTES_TEST_DB (an index of corpus/) and MINUTES_TEST_SRC (the source tree).

;;; Code:

(require 'ert)
(require 'minutes)

(defvar minutes-test-src (file-name-as-directory (getenv "MINUTES_TEST_SRC")))

(defmacro minutes-test-with-corpus (&rest body)
  "Run BODY with minutes set to search the corpus index from the source tree."
  `(let ((minutes-program (getenv "MINUTES_TEST_SEARCH"))
         (minutes-db (getenv "MINUTES_TEST_DB"))
         (default-directory minutes-test-src))
     (when (get-buffer "*minutes*") (kill-buffer "*minutes*"))
     ,@body))

(defun minutes-test-json (query &optional db)
  "The JSON minutes-search prints for QUERY on DB (default: the corpus index)."
  (with-temp-buffer
    (let ((coding-system-for-read 'utf-8)
          (default-directory minutes-test-src))
      (call-process (getenv "MINUTES_TEST_SEARCH") nil t nil "--db" (or db (getenv "MINUTES_TEST_DB"))
                    "--format" "json" "--limit" "100" "--facets" "--" query)
      (minutes--parse (buffer-string)))))

(defun minutes-test-matched-texts ()
  "The texts of the current buffer shown in the face minutes-match."
  (let ((pos (point-min)) texts)
    (while (setq pos (text-property-not-all pos (point-max) 'face nil))
      (let ((end (next-single-property-change pos 'face nil (point-max)))
            (face (get-text-property pos 'face)))
        (when (if (listp face) (memq 'minutes-match face) (eq face 'minutes-match))
          (push (buffer-substring-no-properties pos end) texts))
        (setq pos end)))
    (nreverse texts)))

(defun minutes-test-hit-lines ()
  "The hits of the results buffer, in order."
  (let ((pos (point-min)) hits)
    (while (setq pos (text-property-not-all pos (point-max) 'minutes-hit nil))
      (push (get-text-property pos 'minutes-hit) hits)
      (setq pos (next-single-property-change pos 'minutes-hit nil (point-max))))
    (nreverse hits)))

(defun minutes-test-hit-regions ()
  "The hits of the results buffer with their text: a list of (HIT . TEXT)."
  (let ((pos (point-min)) regions)
    (while (setq pos (text-property-not-all pos (point-max) 'minutes-hit nil))
      (let ((end (next-single-property-change pos 'minutes-hit nil (point-max))))
        (push (cons (get-text-property pos 'minutes-hit) (buffer-substring-no-properties pos end))
              regions)
        (setq pos end)))
    (nreverse regions)))

(defun minutes-test-next-hit ()
  "The first hit after point."
  (let ((pos (text-property-not-all (point) (point-max) 'minutes-hit nil)))
    (and pos (get-text-property pos 'minutes-hit))))

(ert-deftest minutes-test-byte-offsets ()
  "Byte offsets into UTF-8 become character offsets."
  (should (= 0 (minutes--byte-to-char "Größe" 0)))
  (should (= 2 (minutes--byte-to-char "Größe" 2)))
  ;; ö is two bytes, so byte 4 is after it: character 3.
  (should (= 3 (minutes--byte-to-char "Größe" 4)))
  (should (= 4 (minutes--byte-to-char "Größe" 6)))
  (should (= 5 (minutes--byte-to-char "Größe" 7)))
  ;; A character outside the BMP is four bytes (and one character).
  (should (= 2 (minutes--byte-to-char "a😀b" 5)))
  (should (equal '((5 . 16)) (minutes--char-ranges "Zoë: Übersetzung ok" '((6 18)))))
  (should (equal "Übersetzung"
                 (let* ((s "Zoë: Übersetzung ok")
                        (r (car (minutes--char-ranges s '((6 18))))))
                   (substring s (car r) (cdr r)))))
  (should (equal '((0 . 3) (4 . 5)) (minutes--char-ranges "é𝄞x y" '((0 7) (8 9))))))

(ert-deftest minutes-test-search-groups-by-meeting ()
  "Hits are grouped under their meeting with date, speaker and snippet."
  (minutes-test-with-corpus
   (let* ((want (minutes-test-json "migration"))
          (hits (minutes--get want 'hits))
          (paths (delete-dups (mapcar (lambda (h) (minutes--get h 'path)) hits))))
     (minutes-search "migration")
     (with-current-buffer "*minutes*"
       (should (eq major-mode 'minutes-mode))
       (should (string-match-p "Query: migration" (buffer-string)))
       ;; Every hit, once, each file's hits together under its heading.
       (should (equal (mapcar (lambda (h) (minutes--get h 'snippet)) (minutes-test-hit-lines))
                      (mapcar (lambda (h) (minutes--get h 'snippet))
                              (apply #'append
                                     (mapcar (lambda (p)
                                               (seq-filter (lambda (h) (equal p (minutes--get h 'path))) hits))
                                             paths)))))
       ;; Each file's heading comes before its hits.
       (dolist (path paths)
         (goto-char (point-min))
         (should (search-forward path nil t))
         (should (equal path (minutes--get (minutes-test-next-hit) 'path))))
       ;; Each hit's line shows its snippet, speaker and date.
       (dolist (region (minutes-test-hit-regions))
         (let ((hit (car region)) (line (cdr region)))
           (should (string-match-p (regexp-quote (minutes--get hit 'snippet)) line))
           (when-let ((speaker (minutes--get hit 'speaker)))
             (should (string-match-p (regexp-quote speaker) line)))
           (when-let ((date (minutes--get (minutes--get hit 'meeting) 'date)))
             (should (string-match-p (regexp-quote date) line)))))
       ;; The matches are highlighted, and only they.
       (let ((texts (minutes-test-matched-texts)))
         (should (> (length texts) 0))
         (dolist (text texts)
           (should (string-match-p "\\`migrat" (downcase text)))))))))

(ert-deftest minutes-test-open-hit ()
  "RET on a hit opens its file at the line and column of the match."
  (minutes-test-with-corpus
   (minutes-search "\"migration support\"")
   (with-current-buffer "*minutes*"
     (goto-char (point-min))
     ;; The hit on the heading line "Migration Support".
     (let (hit)
       (while (and (setq hit (minutes-test-next-hit))
                   (/= 139 (minutes--get hit 'match_line)))
         (goto-char (next-single-property-change
                     (text-property-not-all (point) (point-max) 'minutes-hit nil)
                     'minutes-hit nil (point-max))))
       (should hit)
       (goto-char (text-property-not-all (point) (point-max) 'minutes-hit nil))
       (minutes-open-hit)
       (should (string-suffix-p (minutes--get hit 'path) (buffer-file-name)))
       (should (= (line-number-at-pos) 139))
       (should (looking-at-p "Migration Support"))
       (kill-buffer)))))

(ert-deftest minutes-test-facets-are-filters ()
  "A facet is a button that adds its filter, and finds as many hits as it says."
  (minutes-test-with-corpus
   (let* ((want (minutes-test-json "migration"))
          (year (car (minutes--get (minutes--get want 'facets) 'year))))
     (should year)
     (minutes-search "migration")
     (with-current-buffer "*minutes*"
       (goto-char (point-min))
       (let ((button (next-button (point-min))))
         (while (and button (not (equal (button-get button 'minutes-filter)
                                        (minutes--get year 'filter))))
           (setq button (next-button (button-end button))))
         (should button)
         (push-button (button-start button)))
       (should (equal minutes--query (concat "migration " (minutes--get year 'filter))))
       (should (= (minutes--get minutes--result 'total) (minutes--get year 'count)))
       (should (= (length (minutes-test-hit-lines)) (minutes--get year 'count)))))))

(ert-deftest minutes-test-non-ascii ()
  "Highlights and columns are right after non-ASCII text."
  (let* ((dir (make-temp-file "minutes-el" t))
         (db (expand-file-name "index.db" dir))
         (file (expand-file-name "2024-05-02-sync.md" dir)))
    (unwind-protect
        (progn
          (with-temp-file file
            (set-buffer-file-coding-system 'utf-8)
            (insert "# Weekly sync 2024-05-02\n\n## Übersetzungen\n\n"
                    "- Zoë: Die Größe der Übersetzung für 日本語 ist fertig.\n"))
          (let ((default-directory dir))
            (should (= 0 (call-process (getenv "MINUTES_TEST_INDEX") nil nil nil
                                       "-q" "--db" db "."))))
          (let ((minutes-program (getenv "MINUTES_TEST_SEARCH"))
                (minutes-db db)
                (minutes-facets nil)
                (default-directory dir))
            (minutes-search "fertig")
            (with-current-buffer "*minutes*"
              (should (equal (minutes-test-matched-texts) '("fertig")))
              (goto-char (point-min))
              (should (search-forward "Größe" nil t))
              (minutes-open-hit)
              (should (= (line-number-at-pos) 5))
              (should (looking-at-p "fertig"))
              (kill-buffer))))
      (delete-directory dir t))))

(ert-deftest minutes-test-errors ()
  "A bad query is an error with minutes-search's message."
  (minutes-test-with-corpus
   (let ((err (should-error (minutes-search "speker:jan"))))
     (should (string-match-p "unknown field 'speker'" (cadr err))))))

(provide 'minutes-test)
;;; minutes-test.el ends here
