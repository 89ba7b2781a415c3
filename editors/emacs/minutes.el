;;; minutes.el --- Search meeting minutes with minutes-search  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: tools, matching

;;; Commentary:

;; M-x minutes-search runs `minutes-search --format json' and shows the hits
;; grouped by meeting: the meeting's title, date and series, then each hit
;; with its line, date, speaker and snippet, the matched words highlighted
;; from the `highlights' byte offsets of the JSON.  RET opens the file at the
;; hit; the facets at the top are buttons that add their filter to the query.
;;
;; Keys in the results: RET open the hit, n/p next/previous hit, TAB/S-TAB
;; next/previous button, s new search, g search again, q quit.

;;; Code:

(require 'button)
(require 'json)
(require 'subr-x)

(defgroup minutes nil
  "Search meeting minutes with minutes-search."
  :group 'tools
  :prefix "minutes-")

(defcustom minutes-program "minutes-search"
  "The minutes-search program."
  :type 'string)

(defcustom minutes-db nil
  "The index to search, or nil for minutes-search's default."
  :type '(choice (const :tag "Default" nil) file))

(defcustom minutes-limit 100
  "Most hits shown."
  :type 'integer)

(defcustom minutes-facets "speaker,topic,series,org,year,kind"
  "The facets shown as filters, or nil for none."
  :type '(choice (const :tag "None" nil) string))

(defface minutes-match '((t :inherit match))
  "Matched words in snippets.")
(defface minutes-meeting '((t :inherit font-lock-function-name-face :weight bold))
  "Meeting headings.")
(defface minutes-speaker '((t :inherit font-lock-keyword-face))
  "Speakers.")
(defface minutes-date '((t :inherit font-lock-constant-face))
  "Dates.")
(defface minutes-dim '((t :inherit shadow))
  "Paths, line numbers and topics.")

(defvar-local minutes--query nil "The query shown in this buffer.")
(defvar-local minutes--directory nil "Where paths of hits are relative to.")
(defvar-local minutes--result nil "The parsed JSON of the last search.")

(defun minutes--byte-to-char (string byte)
  "Return the character offset in STRING of BYTE, an offset into its UTF-8."
  (let ((bytes (encode-coding-string string 'utf-8 t)))
    (length (decode-coding-string (substring bytes 0 (min byte (length bytes))) 'utf-8 t))))

(defun minutes--char-ranges (string highlights)
  "Turn HIGHLIGHTS, a list of [start end) byte pairs into STRING, into character pairs."
  (mapcar (lambda (r)
            (cons (minutes--byte-to-char string (elt r 0))
                  (minutes--byte-to-char string (elt r 1))))
          highlights))

(defun minutes--parse (text)
  "Parse the JSON TEXT printed by minutes-search."
  (if (fboundp 'json-parse-string)
      (json-parse-string text :object-type 'alist :array-type 'list
                         :null-object nil :false-object nil)
    (let ((json-object-type 'alist) (json-array-type 'list))
      (json-read-from-string text))))

(defun minutes--run (query)
  "Run minutes-search on QUERY; return its parsed JSON, or signal an error."
  (let ((err-file (make-temp-file "minutes-err"))
        (args (append (and minutes-db (list "--db" (expand-file-name minutes-db)))
                      (list "--format" "json" "--limit" (number-to-string minutes-limit))
                      (and minutes-facets (list (concat "--facets=" minutes-facets)))
                      (list "--" query))))
    (unwind-protect
        (with-temp-buffer
          (let* ((coding-system-for-read 'utf-8)
                 (status (apply #'call-process minutes-program nil
                                (list (current-buffer) err-file) nil args)))
            (unless (memq status '(0 1))
              (error "%s" (string-trim
                           (with-temp-buffer
                             (insert-file-contents err-file)
                             (if (zerop (buffer-size))
                                 (format "minutes-search failed (%s)" status)
                               (buffer-string))))))
            (minutes--parse (buffer-string))))
      (delete-file err-file))))

(defun minutes--get (alist key)
  "The value of KEY (a symbol) in the JSON object ALIST."
  (cdr (assq key alist)))

(defun minutes--insert-facets (facets)
  "Insert FACETS as buttons that add their filter to the query."
  (when facets
    (dolist (facet facets)
      (insert (propertize (format "%8s: " (car facet)) 'face 'minutes-dim))
      (dolist (v (cdr facet))
        (insert-text-button (format "%s (%d)" (minutes--get v 'value) (minutes--get v 'count))
                            'minutes-filter (minutes--get v 'filter)
                            'action #'minutes--filter-action
                            'help-echo (concat "Add " (minutes--get v 'filter)))
        (insert " "))
      (insert "\n"))
    (insert "\n")))

(defun minutes--filter-action (button)
  "Search again with BUTTON's filter added."
  (minutes-search (concat minutes--query " " (button-get button 'minutes-filter))))

(defun minutes--insert-hit (hit)
  "Insert one HIT: line, date, speaker, snippet with its matches, topic."
  (let ((start (point))
        (snippet (minutes--get hit 'snippet))
        (meeting (minutes--get hit 'meeting)))
    (insert (propertize (format "%6d " (minutes--get hit 'match_line)) 'face 'minutes-dim))
    (when-let ((date (minutes--get meeting 'date)))
      (insert (propertize date 'face 'minutes-date) " "))
    (when-let ((speaker (minutes--get hit 'speaker)))
      (insert (propertize speaker 'face 'minutes-speaker) ": "))
    (let ((s (point)))
      (insert snippet)
      (dolist (r (minutes--char-ranges snippet (minutes--get hit 'highlights)))
        (add-face-text-property (+ s (car r)) (+ s (cdr r)) 'minutes-match)))
    (when-let ((topic (minutes--get hit 'topic)))
      (insert (propertize (format "  [%s]" topic) 'face 'minutes-dim)))
    (insert "\n")
    (put-text-property start (point) 'minutes-hit hit)))

(defun minutes--groups (hits)
  "Group HITS by file, in the order of each file's best hit."
  (let ((order nil) (table (make-hash-table :test #'equal)))
    (dolist (hit hits)
      (let ((path (minutes--get hit 'path)))
        (unless (gethash path table)
          (push path order))
        (puthash path (cons hit (gethash path table)) table)))
    (mapcar (lambda (path) (cons path (nreverse (gethash path table))))
            (nreverse order))))

(defun minutes--render (result)
  "Fill the current buffer with RESULT, the JSON of a search."
  (let ((inhibit-read-only t)
        (hits (minutes--get result 'hits))
        (total (minutes--get result 'total)))
    (erase-buffer)
    (insert (propertize (format "Query: %s" (minutes--get result 'query)) 'face 'bold)
            (format "   %d hit%s%s\n\n" total (if (= total 1) "" "s")
                    (if (> total (length hits)) (format ", first %d shown" (length hits)) "")))
    (when-let ((suggestion (minutes--get result 'suggestion)))
      (insert "Did you mean: ")
      (insert-text-button suggestion 'action (lambda (_) (minutes-search suggestion)))
      (insert "\n\n"))
    (minutes--insert-facets (minutes--get result 'facets))
    (dolist (group (minutes--groups hits))
      (let* ((meeting (minutes--get (cadr group) 'meeting))
             (series (minutes--get meeting 'series)))
        (insert (propertize (or (minutes--get meeting 'title) (car group)) 'face 'minutes-meeting))
        (when-let ((date (minutes--get meeting 'date)))
          (insert "  " (propertize date 'face 'minutes-date)))
        (when series
          (insert "  " series))
        (insert "  " (propertize (car group) 'face 'minutes-dim) "\n")
        (mapc #'minutes--insert-hit (cdr group))
        (insert "\n")))
    (goto-char (point-min))
    (minutes-next-hit)))

(defvar minutes-mode-map
  (let ((map (make-sparse-keymap)))
    (set-keymap-parent map (make-composed-keymap button-buffer-map special-mode-map))
    (define-key map (kbd "RET") #'minutes-open-hit)
    (define-key map (kbd "n") #'minutes-next-hit)
    (define-key map (kbd "p") #'minutes-previous-hit)
    (define-key map (kbd "s") #'minutes-search)
    (define-key map (kbd "g") #'minutes-refresh)
    map)
  "Keys of the minutes results buffer.")

(define-derived-mode minutes-mode special-mode "Minutes"
  "Results of a minutes search.
\\{minutes-mode-map}"
  (setq truncate-lines nil))

;;;###autoload
(defun minutes-search (query)
  "Search the minutes for QUERY and show the hits grouped by meeting.
The query language is that of minutes-query(7): words, \"phrases\",
speaker:jan, topic:..., date:2018 ..."
  (interactive (list (read-string "Minutes search: " nil 'minutes-search-history)))
  (let ((result (minutes--run query))
        (directory (if (derived-mode-p 'minutes-mode) minutes--directory default-directory))
        (buffer (get-buffer-create "*minutes*")))
    (with-current-buffer buffer
      (minutes-mode)
      (setq minutes--query query
            minutes--directory directory
            minutes--result result
            default-directory directory)
      (minutes--render result))
    (pop-to-buffer-same-window buffer)
    result))

(defun minutes-refresh ()
  "Run the current search again."
  (interactive)
  (minutes-search minutes--query))

(defun minutes-next-hit ()
  "Move to the next hit."
  (interactive)
  (let ((here (if (get-text-property (point) 'minutes-hit)
                  (next-single-property-change (point) 'minutes-hit)
                (point))))
    (when-let ((next (and here (text-property-not-all here (point-max) 'minutes-hit nil))))
      (goto-char next))))

(defun minutes-previous-hit ()
  "Move to the previous hit."
  (interactive)
  (let ((start (previous-single-property-change (line-beginning-position) 'minutes-hit)))
    (when start
      (goto-char start)
      (unless (get-text-property (point) 'minutes-hit)
        (let ((p (previous-single-property-change (point) 'minutes-hit)))
          (when p (goto-char p))))
      (beginning-of-line))))

(defun minutes-open-hit ()
  "Open the file of the hit at point, at its line and column."
  (interactive)
  (let ((hit (get-text-property (point) 'minutes-hit)))
    (unless hit
      (user-error "No hit here"))
    (find-file (expand-file-name (minutes--get hit 'path) minutes--directory))
    (goto-char (point-min))
    (forward-line (1- (minutes--get hit 'match_line)))
    ;; The column counts bytes, so that it means the same in every editor.
    (let ((target (byte-to-position (+ (position-bytes (line-beginning-position))
                                       (1- (minutes--get hit 'match_column))))))
      (when target
        (goto-char (min target (line-end-position)))))))

(provide 'minutes)
;;; minutes.el ends here
