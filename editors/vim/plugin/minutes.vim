" minutes.vim: search meeting minutes with minutes-search from Vim.
" :Minutes {query}          fill the quickfix list with the hits
" :MinutesSpeaker {name}    what a person said (names complete from the index)
" :MinutesTopic {heading}   the passages under a heading (headings complete)
" Options: g:minutes_program (default 'minutes-search'), g:minutes_db (an
" index other than the default), g:minutes_limit (default 100).
if exists('g:loaded_minutes') || &compatible
  finish
endif
let g:loaded_minutes = 1

command! -nargs=+ -complete=customlist,minutes#complete_query Minutes
      \ call minutes#search(<q-args>)
command! -nargs=+ -complete=customlist,minutes#complete_speaker MinutesSpeaker
      \ call minutes#search(minutes#filter('speaker', <q-args>))
command! -nargs=+ -complete=customlist,minutes#complete_topic MinutesTopic
      \ call minutes#search(minutes#filter('topic', <q-args>))
