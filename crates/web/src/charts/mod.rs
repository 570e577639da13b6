//! Patient charts for clinicians: the chart page, progress notes, and asking for emergency
//! ("break-glass") access outside one's care team. The rules are `haven_app::charts`'.

pub mod assign;
pub mod break_glass;
pub mod view;
