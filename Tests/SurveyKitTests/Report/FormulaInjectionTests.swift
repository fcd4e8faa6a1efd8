import Foundation
import Testing

@testable import SurveyKit

/// Text from an export or a codebook never becomes a formula in a CSV file the tool writes
/// (OWASP "CSV Injection"): a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a leading `'` (and keeps its quoting); number cells (a negative value, estimate or
/// bound) are written as they are. `survey weight --out` is covered in surveyTests.
@Suite("Formula injection in CSV outputs")
struct FormulaInjectionTests {
  /// A codebook whose value labels start with the characters a spreadsheet reads as a formula,
  /// and a numeric variable with negative values (its mean is negative).
  static let codebookYAML = """
    survey: {id: hostile}
    variables:
      - {name: ID, type: id}
      - name: Q1
        type: single
        values:
          1: '=HYPERLINK("http://x","y")'
          2: '@SUM(A1)'
          3: '+cmd'
          4: '-1+2'
          5: "\\tTAB"
          6: "\\rCR"
          7: a=b
      - name: SEX
        type: single
        values: {1: '-男性', 2: 女性}
      - name: CHANGE
        type: numeric
        range: [-10, 10]
      - {name: MEMO, type: text}
    """

  static let export = """
    ID,Q1,SEX,CHANGE,MEMO
    1,1,1,-3.2,@SUM(A1)
    2,2,2,-1,ok
    3,3,1,0.5,
    4,4,2,-2,
    5,5,1,1,
    6,6,2,-0.5,
    7,7,1,-1,

    """

  let result: IngestResult
  let codebook: Codebook
  let design: SurveyDesign

  init() throws {
    (result, codebook) = try Self.read(Self.export)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
    design = try SurveyDesign(table: result.table)
  }

  static func read(_ text: String, rules: String = "") throws -> (IngestResult, Codebook) {
    let codebook = try Codebook(yaml: codebookYAML + rules, file: "hostile.yaml")
    return (SurveyReader(codebook: codebook).read(bytes: Array(text.utf8), file: "h.csv"), codebook)
  }

  @Test("the rule: = + - @ tab CR lead to a quote; plain numbers and other text stay")
  func neutraliser() {
    #expect(csvNeutralised(#"=HYPERLINK("http://x","y")"#) == #"'=HYPERLINK("http://x","y")"#)
    #expect(csvNeutralised("@SUM(A1)") == "'@SUM(A1)")
    #expect(csvNeutralised("+cmd") == "'+cmd")
    #expect(csvNeutralised("-1+2") == "'-1+2")
    #expect(csvNeutralised("\tTAB") == "'\tTAB")
    #expect(csvNeutralised("\rCR") == "'\rCR")
    #expect(csvNeutralised("-") == "'-")
    #expect(csvNeutralised("\t-1") == "'\t-1")
    #expect(csvNeutralised("-1e") == "'-1e")
    // Not leading, or not one of the six: as it is.
    for text in ["", "a=b", " =1+1", "住みやすい", "−3", "＝1", "'=1"] {
      #expect(csvNeutralised(text) == text, "\(text)")
    }
    // A plain decimal number is never a formula: as it is.
    for text in ["-3.2", "-1", "+5", "-0.5", "-.5", "-1e-3", "+2E+10", "-3."] {
      #expect(csvNeutralised(text) == text, "\(text)")
    }
    // The CSV quoting is kept around the quote.
    #expect(csvTextCell(#"=HYPERLINK("http://x","y")"#) == #""'=HYPERLINK(""http://x"",""y"")""#)
    #expect(csvTextCell("-a,b") == #""'-a,b""#)
    #expect(csvTextCell("\rCR") == "\"'\rCR\"")
    #expect(csvTextCell("住みやすい") == "住みやすい")
    // Number cells are never prefixed.
    #expect(CSVCell.number("-0.5").field == "-0.5")
    #expect(CSVCell.number("-1;-2").field == "-1;-2")
    #expect(
      CSVCell.line([.number("-3.2"), .text("=1"), .text("-3.2"), .number("")]) == "-3.2,'=1,-3.2,")
  }

  @Test("freq --format csv: labels get the quote; negative values and the mean do not")
  func frequencyCSV() throws {
    let options = FrequencyOptions()
    let tables = try FrequencyTableBuilder(table: result.table, design: design, options: options)
      .frequencyTables()
    let report = FrequencyReport(
      result: result, codebook: codebook, codebookPath: "hostile.yaml", design: design,
      designVariables: DesignVariables(codebookRolesOf: codebook.variables), options: options,
      tables: tables)
    let expected = [
      "question,type,status,row,code,value,label,in_base,n,weighted,statistic,estimate,se,ci_lower,ci_upper,deff,responses_percent,responses_se,responses_ci_lower,responses_ci_upper",
      "Q1,single,tabulated,category,1,,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",true,1,1,percent,14.285714285714285,14.285714285714288,0.950402920987637,74.32579023019146,,,,,",
      "Q1,single,tabulated,category,2,,'@SUM(A1),true,1,1,percent,14.285714285714285,14.285714285714288,0.950402920987637,74.32579023019146,,,,,",
      "Q1,single,tabulated,category,3,,'+cmd,true,1,1,percent,14.285714285714285,14.285714285714288,0.950402920987637,74.32579023019146,,,,,",
      "Q1,single,tabulated,category,4,,'-1+2,true,1,1,percent,14.285714285714285,14.285714285714288,0.950402920987637,74.32579023019146,,,,,",
      "Q1,single,tabulated,category,5,,'\tTAB,true,1,1,percent,14.285714285714285,14.285714285714288,0.950402920987637,74.32579023019146,,,,,",
      "Q1,single,tabulated,category,6,,\"'\rCR\",true,1,1,percent,14.285714285714285,14.28571428571429,0.9504029209876361,74.32579023019147,,,,,",
      "Q1,single,tabulated,category,7,,a=b,true,1,1,percent,14.285714285714285,14.28571428571429,0.9504029209876361,74.32579023019147,,,,,",
      "Q1,single,tabulated,base,,,合計（基数）,true,7,7,,,,,,,,,,",
      "SEX,single,tabulated,category,1,,'-男性,true,4,4,percent,57.14285714285714,20.203050891044217,15.047029515669475,90.93959243467593,,,,,",
      "SEX,single,tabulated,category,2,,女性,true,3,3,percent,42.857142857142854,20.203050891044217,9.060407565324066,84.95297048433054,,,,,",
      "SEX,single,tabulated,base,,,合計（基数）,true,7,7,,,,,,,,,,",
      "CHANGE,numeric,tabulated,category,,-3.2,-3.2,true,1,1,percent,14.285714285714285,14.285714285714288,0.950402920987637,74.32579023019146,,,,,",
      "CHANGE,numeric,tabulated,category,,-2,-2,true,1,1,percent,14.285714285714285,14.285714285714288,0.950402920987637,74.32579023019146,,,,,",
      "CHANGE,numeric,tabulated,category,,-1,-1,true,2,2,percent,28.57142857142857,18.44277783908294,4.198482143351351,78.49879002617133,,,,,",
      "CHANGE,numeric,tabulated,category,,-0.5,-0.5,true,1,1,percent,14.285714285714285,14.28571428571429,0.9504029209876361,74.32579023019147,,,,,",
      "CHANGE,numeric,tabulated,category,,0.5,0.5,true,1,1,percent,14.285714285714285,14.285714285714288,0.950402920987637,74.32579023019146,,,,,",
      "CHANGE,numeric,tabulated,category,,1,1,true,1,1,percent,14.285714285714285,14.285714285714288,0.950402920987637,74.32579023019146,,,,,",
      "CHANGE,numeric,tabulated,base,,,合計（基数）,true,7,7,,,,,,,,,,",
      "CHANGE,numeric,tabulated,mean,,,平均,,7,7,mean,-0.8857142857142858,0.5400302334695943,-2.2071206639676206,0.43569209253904895,,,,,",
      "CHANGE,numeric,tabulated,median,,,中央値,,7,7,median,-1,,,,,,,,",
    ]
    #expect(report.render(.csv()) == expected.joined(separator: "\n") + "\n")
  }

  @Test("tab --format csv: titles and labels get the quote; negative values and means do not")
  func bannerCSV() throws {
    let spec = try BannerTableSpec(
      yaml: """
        tables:
          - title: '=HYPERLINK("http://x","y")'
            rows: [SEX]
            by: [SEX]
          - title: "\\tTAB"
            rows: [CHANGE]
            by: [SEX]
            mean: true
        """, file: "t.yaml", codebook: codebook)
    let builder = BannerTableBuilder(
      table: result.table, design: design, options: BannerOptions(smallBase: 0, suppressBelow: 0))
    let report = BannerTableReport(
      result: result, codebook: codebook, codebookPath: "hostile.yaml", specPath: "t.yaml",
      design: design, designVariables: DesignVariables(codebookRolesOf: codebook.variables),
      spec: spec, tables: try spec.tables.map { try builder.bannerTable($0) })
    let expected = [
      "table,title,filter,question,type,row,code,value,net_codes,label,column,break,column_code,column_label,column_letter,base_n,base_weighted,base_effective,base_size,n,weighted,statistic,estimate,se,ci_lower,ci_upper,deff,letters,versus_total,versus_total_p,row_percent,total_percent,column_outer_code,column_outer_label",
      "1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",,SEX,single,category,1,,,'-男性,0,,,全体,,7,7,7,adequate,4,4,percent,57.14285714285714,20.203050891044217,15.047029515669475,90.93959243467593,,,,,,,,",
      "1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",,SEX,single,category,1,,,'-男性,1,SEX,1,'-男性,A,4,4,4,adequate,4,4,percent,100,0,,,,b,higher-looser,0.045659123781411584,,,,",
      "1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",,SEX,single,category,1,,,'-男性,2,SEX,2,女性,B,3,3,3,adequate,0,0,percent,0,0,,,,,lower-looser,0.045659123781411584,,,,",
      "1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",,SEX,single,category,2,,,女性,0,,,全体,,7,7,7,adequate,3,3,percent,42.857142857142854,20.203050891044214,9.06040756532407,84.95297048433052,,,,,,,,",
      "1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",,SEX,single,category,2,,,女性,1,SEX,1,'-男性,A,4,4,4,adequate,0,0,percent,0,0,,,,,lower-looser,0.045659123781411584,,,,",
      "1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",,SEX,single,category,2,,,女性,2,SEX,2,女性,B,3,3,3,adequate,3,3,percent,100,0,,,,a,higher-looser,0.045659123781411584,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,-3.2,,-3.2,0,,,全体,,7,7,7,adequate,1,1,percent,14.285714285714285,14.285714285714288,0.950402920987637,74.32579023019146,,,,,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,-3.2,,-3.2,1,SEX,1,'-男性,A,4,4,4,adequate,1,1,percent,25,23.385358667337133,1.5512919897184998,87.57976498025734,,,,0.3925161353985204,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,-3.2,,-3.2,2,SEX,2,女性,B,3,3,3,adequate,0,0,percent,0,0,,,,,,0.3925161353985204,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,-2,,-2,0,,,全体,,7,7,7,adequate,1,1,percent,14.285714285714285,14.285714285714288,0.950402920987637,74.32579023019146,,,,,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,-2,,-2,1,SEX,1,'-男性,A,4,4,4,adequate,0,0,percent,0,0,,,,,,0.2675514925345562,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,-2,,-2,2,SEX,2,女性,B,3,3,3,adequate,1,1,percent,33.33333333333333,29.397236789606563,1.926320540718655,92.71567611866148,,,,0.2675514925345562,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,-1,,-1,0,,,全体,,7,7,7,adequate,2,2,percent,28.57142857142857,18.44277783908294,4.198482143351353,78.49879002617135,,,,,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,-1,,-1,1,SEX,1,'-男性,A,4,4,4,adequate,1,1,percent,25,23.385358667337133,1.5512919897184998,87.57976498025734,,,,0.818742295387488,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,-1,,-1,2,SEX,2,女性,B,3,3,3,adequate,1,1,percent,33.33333333333333,29.397236789606563,1.926320540718655,92.71567611866148,,,,0.818742295387488,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,-0.5,,-0.5,0,,,全体,,7,7,7,adequate,1,1,percent,14.285714285714285,14.285714285714288,0.950402920987637,74.32579023019146,,,,,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,-0.5,,-0.5,1,SEX,1,'-男性,A,4,4,4,adequate,0,0,percent,0,0,,,,,,0.2675514925345562,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,-0.5,,-0.5,2,SEX,2,女性,B,3,3,3,adequate,1,1,percent,33.33333333333333,29.397236789606563,1.926320540718655,92.71567611866148,,,,0.2675514925345562,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,0.5,,0.5,0,,,全体,,7,7,7,adequate,1,1,percent,14.285714285714285,14.285714285714288,0.950402920987637,74.32579023019146,,,,,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,0.5,,0.5,1,SEX,1,'-男性,A,4,4,4,adequate,1,1,percent,25,23.385358667337133,1.5512919897184998,87.57976498025734,,,,0.3925161353985204,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,0.5,,0.5,2,SEX,2,女性,B,3,3,3,adequate,0,0,percent,0,0,,,,,,0.3925161353985204,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,1,,1,0,,,全体,,7,7,7,adequate,1,1,percent,14.285714285714285,14.285714285714288,0.950402920987637,74.32579023019146,,,,,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,1,,1,1,SEX,1,'-男性,A,4,4,4,adequate,1,1,percent,25,23.385358667337133,1.5512919897184998,87.57976498025734,,,,0.3925161353985204,,,,",
      "2,'\tTAB,,CHANGE,numeric,category,,1,,1,2,SEX,2,女性,B,3,3,3,adequate,0,0,percent,0,0,,,,,,0.3925161353985204,,,,",
      "2,'\tTAB,,CHANGE,numeric,mean,,,,平均,0,,,全体,,7,7,7,adequate,7,7,mean,-0.8857142857142858,0.5400302334695943,-2.2071206639676206,0.43569209253904895,,,,,,,,",
      "2,'\tTAB,,CHANGE,numeric,mean,,,,平均,1,SEX,1,'-男性,A,4,4,4,adequate,4,4,mean,-0.675,0.8819515529022367,-2.833057706932192,1.4830577069321917,,,,0.6929938959470953,,,,",
      "2,'\tTAB,,CHANGE,numeric,mean,,,,平均,2,SEX,2,女性,B,3,3,3,adequate,3,3,mean,-1.1666666666666667,0.3888888888888889,-2.118243497667488,-0.2150898356658455,,,,0.6929938959470953,,,,",
    ]
    #expect(report.render(.csv()) == "\u{FEFF}" + expected.joined(separator: "\n") + "\n")
  }

  @Test("kpi show --format csv: name and unit get the quote; negative values do not")
  func kpiCSV() throws {
    let definitions = try KPIDefinitions(
      yaml: """
        goals: {1: '=goal'}
        indicators:
          - id: a
            name: '@SUM(A1)'
            goal: 1
            unit: '+cmd'
            baseline: {year: H26, value: -3.2}
            target: {year: H31, value: -1}
        """, file: "k.yaml")
    let report = KPIReport(
      definitions: definitions,
      values: [
        LedgerValue(
          id: 1, entry: LedgerEntry(kpi: "a", year: 2019, value: -2.5, source: .import))
      ], definitionsPath: "k.yaml", ledgerPath: "k.sqlite")
    let expected = [
      "goal,id,name,unit,cumulative,baseline_year,baseline,actual_2019,target_year,target,latest_year,rate,capped_rate,achievement_percent,flags",
      "1,a,'@SUM(A1),'+cmd,false,2014,-3.2,-2.5,2019,-1,2019,2.5,1.2,120,",
    ]
    #expect(report.render(.csv()) == expected.joined(separator: "\n") + "\n")
  }

  @Test("check --rejects: a rejected row's id and original text get the quote, its line does not")
  func rejectLog() throws {
    let rows = "=1+1,8,1,1,x\n@SUM(A1),8,1,1,\n-1+2,8,1,1,\n\tT,8,1,1,\n+cmd,8,1,-3.2,-x\n"
    let (rejected, _) = try Self.read(
      Self.export + rows, rules: "\nrules: {unknown-code: reject}\n")
    #expect(rejected.rowsRejected == 5)
    let reason = #""Q1 (column 2): value ""8"" is not a code of Q1 (1–7)""#
    let expected = [
      "line,id,rules,reasons,text",
      #""9","'=1+1","unknown-code",\#(reason),"'=1+1,8,1,1,x""#,
      #""10","'@SUM(A1)","unknown-code",\#(reason),"'@SUM(A1),8,1,1,""#,
      #""11","'-1+2","unknown-code",\#(reason),"'-1+2,8,1,1,""#,
      #""12","T","unknown-code",\#(reason),"'"# + "\t" + #"T,8,1,1,""#,
      #""13","'+cmd","unknown-code",\#(reason),"'+cmd,8,1,-3.2,-x""#,
    ]
    #expect(rejected.rejectLogCSV() == expected.joined(separator: "\n") + "\n")
  }
}
