"""Request and response examples for the OpenAPI document: static data, taken from real outputs.

Every result here is what the service returned for the request beside it (rule set
hip-pelvic-floor, English, no ``?country=``), and every problem is what it returned for the
request named in ``tests/api/test_openapi_quality.py``. That test screens each example request
again and fails when the level or the rules that fire no longer match, so after a rule change
refresh the examples: save a request's answers to a file and paste what
``screener evaluate FILE`` prints (or what the running service answers).

The answer sets are complete: every question that applies is answered (a screening needs every
required one), quietly ("no", "none", "never") except for the symptoms the example is about.
"""

from collections.abc import Iterable
from typing import Any

QUESTIONNAIRE_PATH = "/v1/questionnaires/hip-pelvic-floor"
UNKNOWN_QUESTIONNAIRE_PATH = "/v1/questionnaires/no-such-questionnaire"

PHYSIO_REQUEST: dict[str, Any] = {
    "answers": {
        "ctx_pelvic_anatomy": ["vulva_vagina", "uterus", "ovaries"],
        "bl_symptoms_present": True,
        "bl_urgency": "daily",
        "ctx_answering_for": "myself",
        "ctx_age_years": 40,
        "ctx_pregnancy_status": "not_pregnant",
        "ctx_postpartum_status": "not_applicable",
        "rf_back_or_leg_pain": "none",
        "rf_leg_weakness_numbness": "no",
        "rf_saddle_numbness": "no",
        "rf_cannot_pass_urine": False,
        "rf_urine_start_or_control_difficulty": "no",
        "rf_bladder_sensation_loss": "no",
        "rf_new_urine_leak_or_pads": "no",
        "rf_bowel_control_or_sensation_loss": "no",
        "rf_sexual_sensation_change": "no",
        "rf_neuro_condition": False,
        "rf_fall_or_injury": "no",
        "rf_cannot_bear_weight": False,
        "rf_leg_shape_change": False,
        "rf_exercise_load_pain": False,
        "rf_fever_or_very_unwell": "no",
        "rf_hot_swollen_joint": False,
        "rf_hip_surgery_recent": "none",
        "rf_severe_uncontrolled_pain": False,
        "rf_cancer_history": "no",
        "rf_unexplained_weight_loss": False,
        "rf_inflammatory_pattern": ["none"],
        "rf_visible_blood_urine": "no",
        "rf_rectal_bleeding": "no",
        "rf_bowel_habit_change": False,
        "rf_unusual_vaginal_bleeding": False,
        "rf_persistent_bloating": False,
        "rf_groin_or_testicle_lump": False,
        "rf_sudden_severe_pelvic_pain": False,
        "rf_sudden_severe_abdo_back_pain": False,
        "rf_calf_swelling_pain": False,
        "rf_breathless_chest_pain": False,
        "rf_cold_pale_leg": False,
        "rf_walking_leg_pain_relieved_by_standing": False,
        "hip_pain_present": False,
        "pp_present": False,
        "nerve_symptoms_present": False,
        "core_symptoms_present": False,
        "bl_onset": "longer_and_unchanged",
        "bl_urge_leak": "never",
        "bl_day_frequency": "lt_8",
        "bl_night_frequency": "none",
        "bl_incomplete_emptying": "never",
        "bl_weak_stream_longstanding": False,
        "bl_after_dribble": False,
        "bl_pain_burning_peeing": False,
        "bl_pain_when_full": False,
        "bl_protection_use": "none",
        "bl_bother": 0,
        "bo_symptoms_present": "no",
        "pr_symptoms_present": False,
        "sx_applicable": "not_currently",
        "pos_worse_positions": ["none"],
        "pos_pelvic_girdle_pain": ["none"],
        "pos_sitting_hours": "lt_4",
        "pos_load_exposure": ["none"],
        "pos_self_noticed_asymmetry": False,
        "life_vaginal_births": 0,
        "life_caesarean_births": 0,
        "life_menopause_status": "not_applicable",
        "life_chronic_constipation": False,
        "life_chronic_cough": False,
        "life_high_impact_sport": ["none"],
        "life_pelvic_surgery_history": ["none"],
        "life_previous_pf_physio": "never",
        "life_hypermobility": False,
        "imp_overall_bother": 0,
        "imp_activities_avoided": ["none"],
        "imp_worry": 0,
        "imp_low_mood": "not_at_all",
        "ctx_seen_doctor_for_this": "no",
    }
}


PHYSIO_RESULT: dict[str, Any] = {
    "questionnaire": "hip-pelvic-floor",
    "level": "recommend_pelvic_floor_physio",
    "headline": "A pelvic floor physiotherapy assessment is a good next step",
    "reasons": [
        {
            "rule_id": "R01_PF_SIGNIFICANT",
            "level": "recommend_pelvic_floor_physio",
            "text": "You told us about bladder, bowel, heaviness, sex or pelvic pain symptoms that happen "
            "often or bother you. These are features that a pelvic floor (pelvic health) "
            "physiotherapist can assess and help with.",
            "why": None,
            "questions": [
                "pp_present",
                "pp_duration",
                "core_leak_cough_sneeze_laugh",
                "core_leak_lift_exercise_jump",
                "bl_urgency",
                "bl_urge_leak",
                "bl_incomplete_emptying",
                "bl_protection_use",
                "bl_bother",
                "bo_urgency",
                "bo_stool_leak",
                "bo_wind_leak",
                "bo_straining",
                "bo_incomplete_emptying",
                "bo_bother",
                "pr_heaviness_dragging",
                "pr_bother",
                "sx_pain_with_penetration",
                "sx_bother",
                "imp_overall_bother",
            ],
            "sources": [
                {
                    "id": "E29",
                    "title": 'NICE NG123, "Urinary incontinence and pelvic organ prolapse in women: management"',
                    "url": "https://www.nice.org.uk/guidance/ng123/chapter/Recommendations",
                },
                {
                    "id": "E27",
                    "title": '"Pelvic floor dysfunction: prevalence and associated factors." BMC '
                    "Public Health 2023;23:2005",
                    "url": "https://bmcpublichealth.biomedcentral.com/articles/10.1186/s12889-023-16901-3",
                },
            ],
        }
    ],
    "also_worth_mentioning_heading": "Also worth mentioning",
    "findings": {
        "hip": {"status": "none", "label": "Hip", "text": "You did not tell us about hip, groin or buttock pain."},
        "postural_load": {
            "status": "none",
            "label": "Positions and load",
            "text": "You did not tell us about positions or loads that make things worse.",
        },
        "core_stability": {
            "status": "none",
            "label": "Core muscles",
            "text": "You did not tell us about leaks with effort or a weak core.",
        },
        "nerve_related": {
            "status": "none",
            "label": "Nerve-like symptoms",
            "text": "You did not tell us about nerve-like pain.",
        },
        "pf_bladder": {
            "status": "marked",
            "label": "Bladder",
            "text": "Bladder: your answers include bladder symptoms that happen often, bother you, or need daily pads.",
        },
        "pf_bowel": {"status": "none", "label": "Bowel", "text": "You did not tell us about bowel symptoms."},
        "pf_prolapse": {
            "status": "none",
            "label": "Heaviness or bulge",
            "text": "You did not tell us about heaviness or a bulge.",
        },
        "pf_sexual_pain": {
            "status": "none",
            "label": "Sex and pain",
            "text": "You did not tell us about pain with sex.",
        },
        "pf_pelvic_pain": {"status": "none", "label": "Pelvic pain", "text": "You did not tell us about pelvic pain."},
    },
    "advice": [
        {
            "id": "also_see_doctor",
            "text": "Please also see your doctor about these symptoms. Some of them are worth checking by a "
            "doctor as well as a physiotherapist.",
        }
    ],
    "next_steps": [
        "Book an assessment with a pelvic floor (pelvic health) physiotherapist. In many places you "
        "can book directly, without seeing a doctor first.",
        "Take this summary with you.",
        "If your symptoms change or get worse, or you are worried, get help sooner.",
    ],
    "disclaimer": "This is not a diagnosis. This check gives general information about what to do next, based "
    "only on your answers. It does not replace advice from a doctor, nurse or physiotherapist who "
    "can examine you. If you think you need emergency help, call 112 now.",
    "ruleset": {
        "id": "hip-pelvic-floor",
        "version": "1.0.1",
        "sha256": "3af72d1ce0583c40dcd0e7eb27046a42ecd627ae12eb187f9d12b1efea794888",
    },
    "language": "en",
    "country": "generic",
    "ignored_answers": [],
    "complete": True,
    "unanswered_required": [],
}


EMERGENCY_REQUEST: dict[str, Any] = {
    "answers": {
        "ctx_pelvic_anatomy": ["vulva_vagina", "uterus", "ovaries"],
        "rf_back_or_leg_pain": "back_and_leg",
        "rf_new_urine_leak_or_pads": "yes_new_or_worsening",
        "ctx_answering_for": "myself",
        "ctx_age_years": 40,
        "ctx_pregnancy_status": "not_pregnant",
        "ctx_postpartum_status": "not_applicable",
        "rf_leg_weakness_numbness": "no",
        "rf_saddle_numbness": "no",
        "rf_cannot_pass_urine": False,
        "rf_urine_start_or_control_difficulty": "no",
        "rf_bladder_sensation_loss": "no",
        "rf_bowel_control_or_sensation_loss": "no",
        "rf_sexual_sensation_change": "no",
        "rf_neuro_condition": False,
        "rf_fall_or_injury": "no",
        "rf_cannot_bear_weight": False,
        "rf_leg_shape_change": False,
        "rf_exercise_load_pain": False,
        "rf_fever_or_very_unwell": "no",
        "rf_hot_swollen_joint": False,
        "rf_hip_surgery_recent": "none",
        "rf_severe_uncontrolled_pain": False,
        "rf_cancer_history": "no",
        "rf_unexplained_weight_loss": False,
        "rf_inflammatory_pattern": ["none"],
        "rf_visible_blood_urine": "no",
        "rf_rectal_bleeding": "no",
        "rf_bowel_habit_change": False,
        "rf_unusual_vaginal_bleeding": False,
        "rf_persistent_bloating": False,
        "rf_groin_or_testicle_lump": False,
        "rf_sudden_severe_pelvic_pain": False,
        "rf_sudden_severe_abdo_back_pain": False,
        "rf_calf_swelling_pain": False,
        "rf_breathless_chest_pain": False,
        "rf_cold_pale_leg": False,
        "rf_walking_leg_pain_relieved_by_standing": False,
        "hip_pain_present": False,
        "pp_present": False,
        "nerve_symptoms_present": False,
        "core_symptoms_present": False,
        "bl_symptoms_present": False,
        "bo_symptoms_present": "no",
        "pr_symptoms_present": False,
        "sx_applicable": "not_currently",
        "pos_worse_positions": ["none"],
        "pos_pelvic_girdle_pain": ["none"],
        "pos_sitting_hours": "lt_4",
        "pos_load_exposure": ["none"],
        "pos_self_noticed_asymmetry": False,
        "life_vaginal_births": 0,
        "life_caesarean_births": 0,
        "life_menopause_status": "not_applicable",
        "life_chronic_constipation": False,
        "life_chronic_cough": False,
        "life_high_impact_sport": ["none"],
        "life_pelvic_surgery_history": ["none"],
        "life_previous_pf_physio": "never",
        "life_hypermobility": False,
        "imp_overall_bother": 0,
        "imp_activities_avoided": ["none"],
        "imp_worry": 0,
        "imp_low_mood": "not_at_all",
        "ctx_seen_doctor_for_this": "no",
    }
}


EMERGENCY_RESULT: dict[str, Any] = {
    "questionnaire": "hip-pelvic-floor",
    "level": "emergency",
    "headline": "Get emergency help now",
    "reasons": [
        {
            "rule_id": "E02_CES_BLADDER_WITH_BACK_LEG",
            "level": "emergency",
            "text": "Call 112 now or go to an emergency department. You told us about a new change in how "
            "your bladder works together with back or leg pain, and this needs to be checked in "
            "hospital straight away. Do not drive yourself.",
            "why": "Doctors check urgently for a rare problem with the nerves at the bottom of the spine, "
            "called cauda equina syndrome. Quick care can protect bladder, bowel, sexual and leg "
            "function.",
            "questions": [
                "rf_back_or_leg_pain",
                "rf_leg_weakness_numbness",
                "rf_urine_start_or_control_difficulty",
                "rf_bladder_sensation_loss",
                "rf_new_urine_leak_or_pads",
                "nerve_leg_radiation",
                "nerve_leg_tingling_numbness",
            ],
            "sources": [
                {
                    "id": "S3",
                    "title": 'BMJ Best Practice, "Cauda equina syndrome — diagnosis approach" (recent '
                    "onset < 14 days or deterioration of bladder/bowel disturbance, saddle "
                    "sensory change, bilateral leg deficit, sexual dysfunction; immediate "
                    "referral)",
                    "url": "https://bestpractice.bmj.com/topics/en-gb/3000164/diagnosis-approach",
                },
                {
                    "id": "S5",
                    "title": "NHS patient leaflets on CES warning signs: Royal Free London",
                    "url": "https://royalfree.nhs.uk/patients-and-visitors/patient-information-leaflets/cauda-equina-syndrome",
                },
                {
                    "id": "S6",
                    "title": 'HSSIB, "Timely detection and treatment of spinal nerve compression '
                    '(cauda equina syndrome) in patients with back pain"',
                    "url": "https://hssib.org.uk/patient-safety-investigations/timely-detection-and-treatment-of-spinal-nerve-compression-cauda-equina-syndrome-in-patients-with-back-pain/investigation-report",
                },
            ],
        }
    ],
    "also_worth_mentioning_heading": "Also worth mentioning",
    "findings": {
        "hip": {"status": "none", "label": "Hip", "text": "You did not tell us about hip, groin or buttock pain."},
        "postural_load": {
            "status": "none",
            "label": "Positions and load",
            "text": "You did not tell us about positions or loads that make things worse.",
        },
        "core_stability": {
            "status": "none",
            "label": "Core muscles",
            "text": "You did not tell us about leaks with effort or a weak core.",
        },
        "nerve_related": {
            "status": "none",
            "label": "Nerve-like symptoms",
            "text": "You did not tell us about nerve-like pain.",
        },
        "pf_bladder": {"status": "none", "label": "Bladder", "text": "You did not tell us about bladder symptoms."},
        "pf_bowel": {"status": "none", "label": "Bowel", "text": "You did not tell us about bowel symptoms."},
        "pf_prolapse": {
            "status": "none",
            "label": "Heaviness or bulge",
            "text": "You did not tell us about heaviness or a bulge.",
        },
        "pf_sexual_pain": {
            "status": "none",
            "label": "Sex and pain",
            "text": "You did not tell us about pain with sex.",
        },
        "pf_pelvic_pain": {"status": "none", "label": "Pelvic pain", "text": "You did not tell us about pelvic pain."},
    },
    "advice": [],
    "next_steps": [
        "Call 112 now, or go to an emergency department.",
        "Do not drive yourself. Ask someone to take you, or call for an ambulance.",
        "Take this summary with you, or show it on your phone.",
        "If your symptoms change or get worse, or you are worried, get help sooner.",
    ],
    "disclaimer": "This is not a diagnosis. This check gives general information about what to do next, based "
    "only on your answers. It does not replace advice from a doctor, nurse or physiotherapist who "
    "can examine you. If you think you need emergency help, call 112 now.",
    "ruleset": {
        "id": "hip-pelvic-floor",
        "version": "1.0.1",
        "sha256": "3af72d1ce0583c40dcd0e7eb27046a42ecd627ae12eb187f9d12b1efea794888",
    },
    "language": "en",
    "country": "generic",
    "ignored_answers": [],
    "complete": True,
    "unanswered_required": [],
}


PROGRESS_START_REQUEST: dict[str, Any] = {"answers": {}}


PROGRESS_START_RESULT: dict[str, Any] = {
    "questionnaire": "hip-pelvic-floor",
    "next_question": "ctx_answering_for",
    "applicable": [
        "ctx_answering_for",
        "ctx_age_years",
        "ctx_pelvic_anatomy",
        "rf_back_or_leg_pain",
        "rf_leg_weakness_numbness",
        "rf_saddle_numbness",
        "rf_cannot_pass_urine",
        "rf_urine_start_or_control_difficulty",
        "rf_bladder_sensation_loss",
        "rf_new_urine_leak_or_pads",
        "rf_bowel_control_or_sensation_loss",
        "rf_neuro_condition",
        "rf_fall_or_injury",
        "rf_cannot_bear_weight",
        "rf_leg_shape_change",
        "rf_exercise_load_pain",
        "rf_fever_or_very_unwell",
        "rf_hot_swollen_joint",
        "rf_hip_surgery_recent",
        "rf_severe_uncontrolled_pain",
        "rf_cancer_history",
        "rf_unexplained_weight_loss",
        "rf_inflammatory_pattern",
        "rf_visible_blood_urine",
        "rf_rectal_bleeding",
        "rf_bowel_habit_change",
        "rf_unusual_vaginal_bleeding",
        "rf_persistent_bloating",
        "rf_testicle_sudden_pain",
        "rf_groin_or_testicle_lump",
        "rf_sudden_severe_pelvic_pain",
        "rf_sudden_severe_abdo_back_pain",
        "rf_calf_swelling_pain",
        "rf_breathless_chest_pain",
        "rf_cold_pale_leg",
        "rf_walking_leg_pain_relieved_by_standing",
        "hip_pain_present",
        "pp_present",
        "bl_symptoms_present",
    ],
    "unanswered_required": [
        "ctx_answering_for",
        "ctx_age_years",
        "rf_back_or_leg_pain",
        "rf_leg_weakness_numbness",
        "rf_saddle_numbness",
        "rf_cannot_pass_urine",
        "rf_urine_start_or_control_difficulty",
        "rf_bladder_sensation_loss",
        "rf_new_urine_leak_or_pads",
        "rf_bowel_control_or_sensation_loss",
        "rf_neuro_condition",
        "rf_fall_or_injury",
        "rf_cannot_bear_weight",
        "rf_leg_shape_change",
        "rf_exercise_load_pain",
        "rf_fever_or_very_unwell",
        "rf_hot_swollen_joint",
        "rf_hip_surgery_recent",
        "rf_severe_uncontrolled_pain",
        "rf_cancer_history",
        "rf_unexplained_weight_loss",
        "rf_inflammatory_pattern",
        "rf_visible_blood_urine",
        "rf_rectal_bleeding",
        "rf_bowel_habit_change",
        "rf_unusual_vaginal_bleeding",
        "rf_persistent_bloating",
        "rf_testicle_sudden_pain",
        "rf_groin_or_testicle_lump",
        "rf_sudden_severe_pelvic_pain",
        "rf_sudden_severe_abdo_back_pain",
        "rf_calf_swelling_pain",
        "rf_breathless_chest_pain",
        "rf_cold_pale_leg",
        "rf_walking_leg_pain_relieved_by_standing",
        "hip_pain_present",
        "pp_present",
        "bl_symptoms_present",
    ],
    "ignored_answers": [],
    "answered": 0,
    "can_screen": False,
    "minimum_level": "general_advice",
    "minimum_reasons": [],
    "should_stop": False,
    "ruleset": {
        "id": "hip-pelvic-floor",
        "version": "1.0.1",
        "sha256": "3af72d1ce0583c40dcd0e7eb27046a42ecd627ae12eb187f9d12b1efea794888",
    },
}


PROGRESS_SKIPPED_REQUEST: dict[str, Any] = {
    "answers": {"ctx_answering_for": "myself", "ctx_age_years": 42},
    "skipped": ["ctx_pelvic_anatomy"],
}


PROGRESS_SKIPPED_RESULT: dict[str, Any] = {
    "questionnaire": "hip-pelvic-floor",
    "next_question": "ctx_pregnancy_status",
    "applicable": [
        "ctx_answering_for",
        "ctx_age_years",
        "ctx_pelvic_anatomy",
        "ctx_pregnancy_status",
        "ctx_postpartum_status",
        "rf_back_or_leg_pain",
        "rf_leg_weakness_numbness",
        "rf_saddle_numbness",
        "rf_cannot_pass_urine",
        "rf_urine_start_or_control_difficulty",
        "rf_bladder_sensation_loss",
        "rf_new_urine_leak_or_pads",
        "rf_bowel_control_or_sensation_loss",
        "rf_sexual_sensation_change",
        "rf_neuro_condition",
        "rf_fall_or_injury",
        "rf_cannot_bear_weight",
        "rf_leg_shape_change",
        "rf_exercise_load_pain",
        "rf_fever_or_very_unwell",
        "rf_hot_swollen_joint",
        "rf_hip_surgery_recent",
        "rf_severe_uncontrolled_pain",
        "rf_cancer_history",
        "rf_unexplained_weight_loss",
        "rf_inflammatory_pattern",
        "rf_visible_blood_urine",
        "rf_rectal_bleeding",
        "rf_bowel_habit_change",
        "rf_unusual_vaginal_bleeding",
        "rf_persistent_bloating",
        "rf_testicle_sudden_pain",
        "rf_groin_or_testicle_lump",
        "rf_sudden_severe_pelvic_pain",
        "rf_sudden_severe_abdo_back_pain",
        "rf_calf_swelling_pain",
        "rf_breathless_chest_pain",
        "rf_cold_pale_leg",
        "rf_walking_leg_pain_relieved_by_standing",
        "rf_early_pregnancy_signs",
        "rf_postpartum_warning_signs",
        "hip_pain_present",
        "pp_present",
        "nerve_symptoms_present",
        "core_symptoms_present",
        "bl_symptoms_present",
        "bo_symptoms_present",
        "pr_symptoms_present",
        "sx_applicable",
    ],
    "unanswered_required": [
        "rf_back_or_leg_pain",
        "rf_leg_weakness_numbness",
        "rf_saddle_numbness",
        "rf_cannot_pass_urine",
        "rf_urine_start_or_control_difficulty",
        "rf_bladder_sensation_loss",
        "rf_new_urine_leak_or_pads",
        "rf_bowel_control_or_sensation_loss",
        "rf_sexual_sensation_change",
        "rf_neuro_condition",
        "rf_fall_or_injury",
        "rf_cannot_bear_weight",
        "rf_leg_shape_change",
        "rf_exercise_load_pain",
        "rf_fever_or_very_unwell",
        "rf_hot_swollen_joint",
        "rf_hip_surgery_recent",
        "rf_severe_uncontrolled_pain",
        "rf_cancer_history",
        "rf_unexplained_weight_loss",
        "rf_inflammatory_pattern",
        "rf_visible_blood_urine",
        "rf_rectal_bleeding",
        "rf_bowel_habit_change",
        "rf_unusual_vaginal_bleeding",
        "rf_persistent_bloating",
        "rf_testicle_sudden_pain",
        "rf_groin_or_testicle_lump",
        "rf_sudden_severe_pelvic_pain",
        "rf_sudden_severe_abdo_back_pain",
        "rf_calf_swelling_pain",
        "rf_breathless_chest_pain",
        "rf_cold_pale_leg",
        "rf_walking_leg_pain_relieved_by_standing",
        "rf_early_pregnancy_signs",
        "rf_postpartum_warning_signs",
        "hip_pain_present",
        "pp_present",
        "nerve_symptoms_present",
        "core_symptoms_present",
        "bl_symptoms_present",
        "pr_symptoms_present",
    ],
    "ignored_answers": [],
    "answered": 2,
    "can_screen": False,
    "minimum_level": "general_advice",
    "minimum_reasons": [],
    "should_stop": False,
    "ruleset": {
        "id": "hip-pelvic-floor",
        "version": "1.0.1",
        "sha256": "3af72d1ce0583c40dcd0e7eb27046a42ecd627ae12eb187f9d12b1efea794888",
    },
}


EARLY_EMERGENCY_REQUEST: dict[str, Any] = {
    "answers": {
        "ctx_answering_for": "myself",
        "ctx_age_years": 45,
        "ctx_pelvic_anatomy": ["vulva_vagina", "uterus", "ovaries"],
        "ctx_pregnancy_status": "not_pregnant",
        "ctx_postpartum_status": "not_applicable",
        "rf_back_or_leg_pain": "none",
        "rf_leg_weakness_numbness": "no",
        "rf_saddle_numbness": "yes_new_or_worsening",
        "rf_cannot_pass_urine": False,
        "rf_urine_start_or_control_difficulty": "yes_new_or_worsening",
    }
}


EARLY_EMERGENCY_PROGRESS: dict[str, Any] = {
    "questionnaire": "hip-pelvic-floor",
    "next_question": "rf_bladder_sensation_loss",
    "applicable": [
        "ctx_answering_for",
        "ctx_age_years",
        "ctx_pelvic_anatomy",
        "ctx_pregnancy_status",
        "ctx_postpartum_status",
        "rf_back_or_leg_pain",
        "rf_leg_weakness_numbness",
        "rf_saddle_numbness",
        "rf_cannot_pass_urine",
        "rf_urine_start_or_control_difficulty",
        "rf_bladder_sensation_loss",
        "rf_new_urine_leak_or_pads",
        "rf_bowel_control_or_sensation_loss",
        "rf_sexual_sensation_change",
        "rf_neuro_condition",
        "rf_fall_or_injury",
        "rf_cannot_bear_weight",
        "rf_leg_shape_change",
        "rf_exercise_load_pain",
        "rf_fever_or_very_unwell",
        "rf_hot_swollen_joint",
        "rf_hip_surgery_recent",
        "rf_severe_uncontrolled_pain",
        "rf_cancer_history",
        "rf_unexplained_weight_loss",
        "rf_inflammatory_pattern",
        "rf_visible_blood_urine",
        "rf_rectal_bleeding",
        "rf_bowel_habit_change",
        "rf_unusual_vaginal_bleeding",
        "rf_persistent_bloating",
        "rf_groin_or_testicle_lump",
        "rf_sudden_severe_pelvic_pain",
        "rf_sudden_severe_abdo_back_pain",
        "rf_calf_swelling_pain",
        "rf_breathless_chest_pain",
        "rf_cold_pale_leg",
        "rf_walking_leg_pain_relieved_by_standing",
        "hip_pain_present",
        "pp_present",
        "nerve_symptoms_present",
        "core_symptoms_present",
        "bl_symptoms_present",
        "bo_symptoms_present",
        "pr_symptoms_present",
        "sx_applicable",
    ],
    "unanswered_required": [
        "rf_bladder_sensation_loss",
        "rf_new_urine_leak_or_pads",
        "rf_bowel_control_or_sensation_loss",
        "rf_sexual_sensation_change",
        "rf_neuro_condition",
        "rf_fall_or_injury",
        "rf_cannot_bear_weight",
        "rf_leg_shape_change",
        "rf_exercise_load_pain",
        "rf_fever_or_very_unwell",
        "rf_hot_swollen_joint",
        "rf_hip_surgery_recent",
        "rf_severe_uncontrolled_pain",
        "rf_cancer_history",
        "rf_unexplained_weight_loss",
        "rf_inflammatory_pattern",
        "rf_visible_blood_urine",
        "rf_rectal_bleeding",
        "rf_bowel_habit_change",
        "rf_unusual_vaginal_bleeding",
        "rf_persistent_bloating",
        "rf_groin_or_testicle_lump",
        "rf_sudden_severe_pelvic_pain",
        "rf_sudden_severe_abdo_back_pain",
        "rf_calf_swelling_pain",
        "rf_breathless_chest_pain",
        "rf_cold_pale_leg",
        "rf_walking_leg_pain_relieved_by_standing",
        "hip_pain_present",
        "pp_present",
        "nerve_symptoms_present",
        "core_symptoms_present",
        "bl_symptoms_present",
        "pr_symptoms_present",
    ],
    "ignored_answers": [],
    "answered": 10,
    "can_screen": True,
    "minimum_level": "emergency",
    "minimum_reasons": ["E01_CES_SADDLE_NEW"],
    "should_stop": True,
    "ruleset": {
        "id": "hip-pelvic-floor",
        "version": "1.0.1",
        "sha256": "3af72d1ce0583c40dcd0e7eb27046a42ecd627ae12eb187f9d12b1efea794888",
    },
}


EARLY_EMERGENCY_RESULT: dict[str, Any] = {
    "questionnaire": "hip-pelvic-floor",
    "level": "emergency",
    "headline": "Get emergency help now",
    "reasons": [
        {
            "rule_id": "E01_CES_SADDLE_NEW",
            "level": "emergency",
            "text": "Call 112 now or go to an emergency department. You told us about new numbness or tingling "
            "between your legs or around your bottom, and this needs to be checked in hospital straight "
            "away. Do not drive yourself: ask someone to take you, or call for an ambulance.",
            "why": "Doctors check urgently for a rare problem with the nerves at the bottom of the spine, called "
            "cauda equina syndrome. Quick care can protect bladder, bowel, sexual and leg function.",
            "questions": [
                "rf_back_or_leg_pain",
                "rf_leg_weakness_numbness",
                "rf_saddle_numbness",
                "rf_cannot_pass_urine",
                "rf_urine_start_or_control_difficulty",
                "rf_bladder_sensation_loss",
                "rf_new_urine_leak_or_pads",
                "rf_bowel_control_or_sensation_loss",
                "rf_sexual_sensation_change",
                "rf_hip_surgery_recent",
                "nerve_leg_radiation",
                "nerve_leg_tingling_numbness",
                "bl_onset",
                "bo_onset",
                "sx_onset",
                "sx_erection_difficulty",
            ],
            "sources": [
                {
                    "id": "S3",
                    "title": 'BMJ Best Practice, "Cauda equina syndrome — diagnosis approach" (recent onset < 14 '
                    "days or deterioration of bladder/bowel disturbance, saddle sensory change, "
                    "bilateral leg deficit, sexual dysfunction; immediate referral)",
                    "url": "https://bestpractice.bmj.com/topics/en-gb/3000164/diagnosis-approach",
                },
                {
                    "id": "S4",
                    "title": 'GIRFT, "Pathway supports clinicians to diagnose and treat Cauda Equina Syndrome '
                    'without delay" (National Suspected CES Pathway, 2023)',
                    "url": "https://gettingitrightfirsttime.co.uk/pathway-supports-clinicians-to-diagnose-and-treat-cauda-equina-syndrome-without-delay/",
                },
                {
                    "id": "S5",
                    "title": "NHS patient leaflets on CES warning signs: Royal Free London",
                    "url": "https://royalfree.nhs.uk/patients-and-visitors/patient-information-leaflets/cauda-equina-syndrome",
                },
            ],
        }
    ],
    "also_worth_mentioning_heading": "Also worth mentioning",
    "findings": {
        "hip": {"status": "none", "label": "Hip", "text": "You did not tell us about hip, groin or buttock pain."},
        "postural_load": {
            "status": "none",
            "label": "Positions and load",
            "text": "You did not tell us about positions or loads that make things worse.",
        },
        "core_stability": {
            "status": "none",
            "label": "Core muscles",
            "text": "You did not tell us about leaks with effort or a weak core.",
        },
        "nerve_related": {
            "status": "none",
            "label": "Nerve-like symptoms",
            "text": "You did not tell us about nerve-like pain.",
        },
        "pf_bladder": {"status": "none", "label": "Bladder", "text": "You did not tell us about bladder symptoms."},
        "pf_bowel": {"status": "none", "label": "Bowel", "text": "You did not tell us about bowel symptoms."},
        "pf_prolapse": {
            "status": "none",
            "label": "Heaviness or bulge",
            "text": "You did not tell us about heaviness or a bulge.",
        },
        "pf_sexual_pain": {
            "status": "none",
            "label": "Sex and pain",
            "text": "You did not tell us about pain with sex.",
        },
        "pf_pelvic_pain": {"status": "none", "label": "Pelvic pain", "text": "You did not tell us about pelvic pain."},
    },
    "advice": [],
    "next_steps": [
        "Call 112 now, or go to an emergency department.",
        "Do not drive yourself. Ask someone to take you, or call for an ambulance.",
        "Take this summary with you, or show it on your phone.",
        "If your symptoms change or get worse, or you are worried, get help sooner.",
    ],
    "disclaimer": "This is not a diagnosis. This check gives general information about what to do next, based "
    "only on your answers. It does not replace advice from a doctor, nurse or physiotherapist who "
    "can examine you. If you think you need emergency help, call 112 now.",
    "ruleset": {
        "id": "hip-pelvic-floor",
        "version": "1.0.1",
        "sha256": "3af72d1ce0583c40dcd0e7eb27046a42ecd627ae12eb187f9d12b1efea794888",
    },
    "language": "en",
    "country": "generic",
    "ignored_answers": [],
    "complete": False,
    "unanswered_required": [
        "rf_bladder_sensation_loss",
        "rf_new_urine_leak_or_pads",
        "rf_bowel_control_or_sensation_loss",
        "rf_sexual_sensation_change",
        "rf_neuro_condition",
        "rf_fall_or_injury",
        "rf_cannot_bear_weight",
        "rf_leg_shape_change",
        "rf_exercise_load_pain",
        "rf_fever_or_very_unwell",
        "rf_hot_swollen_joint",
        "rf_hip_surgery_recent",
        "rf_severe_uncontrolled_pain",
        "rf_cancer_history",
        "rf_unexplained_weight_loss",
        "rf_inflammatory_pattern",
        "rf_visible_blood_urine",
        "rf_rectal_bleeding",
        "rf_bowel_habit_change",
        "rf_unusual_vaginal_bleeding",
        "rf_persistent_bloating",
        "rf_groin_or_testicle_lump",
        "rf_sudden_severe_pelvic_pain",
        "rf_sudden_severe_abdo_back_pain",
        "rf_calf_swelling_pain",
        "rf_breathless_chest_pain",
        "rf_cold_pale_leg",
        "rf_walking_leg_pain_relieved_by_standing",
        "hip_pain_present",
        "pp_present",
        "nerve_symptoms_present",
        "core_symptoms_present",
        "bl_symptoms_present",
        "pr_symptoms_present",
    ],
}


QUESTIONNAIRE_LIST: dict[str, Any] = {
    "questionnaires": [
        {"id": "hip-pelvic-floor", "version": "1.0.1", "title": "Hip and pelvic floor check", "languages": ["en", "fr"]}
    ]
}


QUESTIONNAIRE: dict[str, Any] = {
    "id": "hip-pelvic-floor",
    "title": "Hip and pelvic floor check",
    "description": "A short set of questions about hip pain, the pelvic floor, bladder, bowel, sex and pelvic "
    "pain. Pelvic floor problems affect people of all sexes. The check suggests a next step, "
    "such as seeing a pelvic floor physiotherapist or getting medical help. It is made for "
    "adults; for a child it only helps you decide how soon to see a doctor. It does not give a "
    "diagnosis.",
    "language": "en",
    "languages": ["en", "fr"],
    "country": "generic",
    "countries": ["generic", "gb", "ie", "us", "ca", "au", "nz", "fr"],
    "ruleset": {
        "id": "hip-pelvic-floor",
        "version": "1.0.1",
        "sha256": "3af72d1ce0583c40dcd0e7eb27046a42ecd627ae12eb187f9d12b1efea794888",
    },
    "disclaimer": "This is not a diagnosis. This check gives general information about what to do next, based "
    "only on your answers. It does not replace advice from a doctor, nurse or physiotherapist who "
    "can examine you. If you think you need emergency help, call 112 now.",
    "emergency_number": "112",
    "safety_line": "If you think you need emergency help now, call 112.",
    "sections": [
        {
            "id": "about_you",
            "title": "About you",
            "intro": "These questions help us ask only what applies to you. If you are answering for "
            "someone else, answer as if you were them. We ask which body parts you have, not "
            "your gender, so that we ask the right questions. We ask about pregnancy and birth "
            "because some signs need quick help then. The questions about body parts, pregnancy "
            'and birth are optional, and you can choose "Prefer not to say".',
            "items": [
                {
                    "id": "ctx_answering_for",
                    "type": "single_choice",
                    "text": "Who are you answering for?",
                    "help": None,
                    "options": [
                        {"value": "myself", "label": "Myself"},
                        {"value": "another_adult_with_consent", "label": "Another adult, with their permission"},
                        {"value": "a_child_under_16", "label": "A child under 16"},
                    ],
                    "ordered": False,
                    "exclusive": [],
                    "min": None,
                    "max": None,
                    "min_label": None,
                    "max_label": None,
                    "required": True,
                    "enable_when": None,
                },
                {
                    "id": "ctx_age_years",
                    "type": "integer",
                    "text": "How old are you (or the person you are answering for)?",
                    "help": "In whole years.",
                    "options": [],
                    "ordered": False,
                    "exclusive": [],
                    "min": 0,
                    "max": 120,
                    "min_label": None,
                    "max_label": None,
                    "required": True,
                    "enable_when": None,
                },
                {
                    "id": "ctx_pelvic_anatomy",
                    "type": "multi_choice",
                    "text": "Which of these body parts do you have?",
                    "help": "Choose all that apply. This helps us ask the right questions. It is about "
                    "body parts, not gender. Some people have body parts from more than one "
                    "part of this list.",
                    "options": [
                        {"value": "vulva_vagina", "label": "Vulva and vagina"},
                        {"value": "uterus", "label": "Womb (uterus)"},
                        {"value": "ovaries", "label": "Ovaries"},
                        {"value": "penis", "label": "Penis"},
                        {"value": "testicles", "label": "Testicles"},
                        {"value": "prostate", "label": "Prostate"},
                        {"value": "none_of_these", "label": "None of these"},
                        {"value": "prefer_not_to_say", "label": "Prefer not to say"},
                    ],
                    "ordered": False,
                    "exclusive": ["none_of_these", "prefer_not_to_say"],
                    "min": None,
                    "max": None,
                    "min_label": None,
                    "max_label": None,
                    "required": False,
                    "enable_when": None,
                },
                {
                    "id": "ctx_pregnancy_status",
                    "type": "single_choice",
                    "text": "Are you pregnant, or could you be pregnant?",
                    "help": "We ask because some signs need quick help in pregnancy.",
                    "options": [
                        {"value": "pregnant", "label": "I am pregnant"},
                        {"value": "might_be_pregnant", "label": "I might be pregnant"},
                        {"value": "not_pregnant", "label": "I am not pregnant"},
                        {"value": "not_applicable", "label": "This does not apply to me"},
                        {"value": "prefer_not_to_say", "label": "Prefer not to say"},
                    ],
                    "ordered": False,
                    "exclusive": [],
                    "min": None,
                    "max": None,
                    "min_label": None,
                    "max_label": None,
                    "required": False,
                    "enable_when": {
                        "all": [
                            {"question": "ctx_age_years", "op": "gte", "value": 10},
                            {
                                "any": [
                                    {
                                        "question": "ctx_pelvic_anatomy",
                                        "op": "contains_any",
                                        "value": ["uterus", "ovaries", "vulva_vagina", "prefer_not_to_say"],
                                    },
                                    {"question": "ctx_pelvic_anatomy", "op": "not_answered"},
                                ]
                            },
                        ]
                    },
                },
            ],
        }
    ],
}


def example(summary: str, value: Any, description: str | None = None) -> dict[str, Any]:
    """An OpenAPI Example Object."""
    return {"summary": summary, **({"description": description} if description else {}), "value": value}


SCREENING_REQUEST_EXAMPLES = {
    "physio": example(
        "Bladder urgency every day",
        PHYSIO_REQUEST,
        "Every question that applies is answered; the bladder gate is yes with daily urgency.",
    ),
    "emergency": example(
        "New bladder change with back and leg pain",
        EMERGENCY_REQUEST,
        "A red flag for cauda equina syndrome: back and leg pain with new urine leaks.",
    ),
    "early_emergency": example(
        "Stopped at a red flag: new numbness around the bottom and new trouble starting to pee",
        EARLY_EMERGENCY_REQUEST,
        "Only the answers up to the red flag: progress said should_stop, so the client screens at once.",
    ),
}
SCREENING_RESULT_EXAMPLES = {
    "physio": example("A pelvic floor physiotherapy assessment is recommended", PHYSIO_RESULT),
    "emergency": example("Emergency help now", EMERGENCY_RESULT),
    "early_emergency": example(
        "Emergency help now, before the end of the questions",
        EARLY_EMERGENCY_RESULT,
        "The answers are incomplete (complete: false), but they are already sure to need emergency help: "
        "no later answer can lower the level, so the result comes at once.",
    ),
}
PROGRESS_REQUEST_EXAMPLES = {
    "start": example("Nothing answered yet", PROGRESS_START_REQUEST),
    "skipped": example(
        "Two answers, one optional question skipped",
        PROGRESS_SKIPPED_REQUEST,
        "A skipped question is not offered again as next_question.",
    ),
    "should_stop": example(
        "New numbness around the bottom and new trouble peeing, on the red-flag screen",
        EARLY_EMERGENCY_REQUEST,
        "The answers up to the first red flag that is sure to need emergency help.",
    ),
}
PROGRESS_RESULT_EXAMPLES = {
    "start": example("The first question to ask", PROGRESS_START_RESULT),
    "skipped": example("The next question after a skip", PROGRESS_SKIPPED_RESULT),
    "should_stop": example(
        "An emergency is already certain: stop and show it",
        EARLY_EMERGENCY_PROGRESS,
        "minimum_level is emergency whatever the rest of the answers, so should_stop is true: show the emergency "
        "advice now (a screening of these answers returns it, marked complete: false).",
    ),
}
QUESTIONNAIRE_LIST_EXAMPLES = {"list": example("The questionnaires this service runs", QUESTIONNAIRE_LIST)}
QUESTIONNAIRE_EXAMPLES = {
    "first_items": example(
        "A questionnaire (cut to its first four items)",
        QUESTIONNAIRE,
        "The real document has every section and item; this one keeps four items of the first section, "
        "one of them with skip logic (enable_when).",
    )
}

# Problem bodies without their ``instance`` (the request path), keyed by a name.
PROBLEMS: dict[str, dict[str, Any]] = {
    "malformed-json": {
        "type": "/problems/malformed-json",
        "title": "Malformed JSON",
        "status": 400,
        "detail": "The body is not valid UTF-8 JSON.",
    },
    "unknown-questionnaire": {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "There is no questionnaire with this id. GET /v1/questionnaires lists them.",
    },
    "method-not-allowed": {
        "type": "about:blank",
        "title": "Method Not Allowed",
        "status": 405,
        "detail": "This address does not accept that method.",
    },
    "content-too-large": {
        "type": "about:blank",
        "title": "Content Too Large",
        "status": 413,
        "detail": "The request body is larger than 16384 bytes.",
    },
    "unsupported-media-type": {
        "type": "about:blank",
        "title": "Unsupported Media Type",
        "status": 415,
        "detail": "Send the body as JSON with the header Content-Type: application/json.",
    },
    "invalid-answers": {
        "type": "/problems/invalid-answers",
        "title": "Invalid answers",
        "status": 422,
        "detail": "Some answers are missing or not valid.",
        "errors": [
            {
                "pointer": "#/answers/rf_cannot_pass_urine",
                "code": "invalid_type",
                "detail": "'rf_cannot_pass_urine' takes a JSON boolean (true or false)",
            },
            {
                "pointer": "#/answers/ctx_age_years",
                "code": "missing_required",
                "detail": "'ctx_age_years' applies to these answers and is required",
            },
        ],
    },
    "invalid-partial-answers": {
        "type": "/problems/invalid-answers",
        "title": "Invalid answers",
        "status": 422,
        "detail": "Some answers are not valid.",
        "errors": [
            {
                "pointer": "#/answers/ctx_answering_for",
                "code": "invalid_option",
                "detail": "'ctx_answering_for' takes one of: myself, another_adult_with_consent, a_child_under_16",
            },
            {
                "pointer": "#/answers/ctx_age_years",
                "code": "invalid_type",
                "detail": "'ctx_age_years' takes a whole number",
            },
            {
                "pointer": "#/answers",
                "code": "unknown_question",
                "detail": "an answer key is not a question id of this questionnaire; "
                "did you mean 'rf_saddle_numbness'?",
            },
        ],
    },
    "invalid-body": {
        "type": "/problems/invalid-body",
        "title": "Invalid body",
        "status": 422,
        "detail": "The request body does not have the expected shape.",
        "errors": [{"pointer": "#/answers", "code": "missing_field", "detail": "the body needs an 'answers' object"}],
    },
    "invalid-parameter": {
        "type": "/problems/invalid-parameter",
        "title": "Invalid parameter",
        "status": 422,
        "detail": "A request parameter is not valid.",
        "errors": [
            {"pointer": "#/query/lang", "code": "invalid_parameter", "detail": "'lang' does not have the expected form"}
        ],
    },
    "too-many-requests": {
        "type": "about:blank",
        "title": "Too Many Requests",
        "status": 429,
        "detail": "Too many screenings from this address; try again later.",
    },
    "internal-error": {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "Something went wrong on our side. Please try again.",
    },
    "starting": {
        "type": "about:blank",
        "title": "Service Unavailable",
        "status": 503,
        "detail": "The service is starting; try again shortly.",
    },
    "overloaded": {
        "type": "/problems/overloaded",
        "title": "Overloaded",
        "status": 503,
        "detail": "The service is answering as many requests as it can; try again after Retry-After seconds.",
    },
}

PROBLEM_SUMMARIES = {
    "malformed-json": "The body is not JSON",
    "unknown-questionnaire": "No questionnaire has this id",
    "method-not-allowed": "The address does not take this method",
    "content-too-large": "The body is over 16 KiB",
    "unsupported-media-type": "The body is not sent as application/json",
    "invalid-answers": "An answer of the wrong type, and a required answer missing",
    "invalid-partial-answers": "An unknown option, a wrong type and an unknown question id",
    "invalid-body": "The body has no 'answers' object",
    "invalid-parameter": "A query parameter of the wrong form",
    "too-many-requests": "Rate limit reached; Retry-After says when to try again",
    "internal-error": "An unexpected error; nothing about the request is repeated",
    "starting": "The rule sets are still loading; Retry-After says when to try again",
    "overloaded": "As many requests in flight as the service takes; Retry-After says when to try again",
}


def problem(name: str, instance: str) -> dict[str, Any]:
    """The problem body ``name`` as answered to a request for ``instance``."""
    body = dict(PROBLEMS[name])
    errors = body.pop("errors", None)
    return {**body, "instance": instance, **({"errors": errors} if errors else {})}


def problem_examples(names: Iterable[str], instance: str) -> dict[str, dict[str, Any]]:
    """OpenAPI Example Objects for these problems, answered at ``instance`` (the 404 example
    at the same path under an unknown questionnaire id)."""
    return {
        name: example(
            PROBLEM_SUMMARIES[name],
            problem(
                name,
                instance.replace(QUESTIONNAIRE_PATH, UNKNOWN_QUESTIONNAIRE_PATH)
                if name == "unknown-questionnaire"
                else instance,
            ),
        )
        for name in names
    }
